import { describe, expect, it } from 'vitest';
import { resourcesQuery } from '../../../lib/sweep/sources/catalog-rows.js';

describe('the resources query', () => {
  it('names plain resource types', () => {
    expect(resourcesQuery(['microsoft.storage/storageaccounts', 'microsoft.sql/servers/databases']))
      .toBe("resources | where type in~ ('microsoft.storage/storageaccounts', 'microsoft.sql/servers/databases') | project id");
  });

  it.each([
    ["microsoft.storage/storageaccounts') | project id, properties //"],
    ['microsoft.storage/storageaccounts" or 1==1'],
    ['microsoft.storage'],
    ['microsoft.storage/storage accounts'],
    ['microsoft.storage/storageaccounts\n| take 1'],
    [''],
  ])('refuses a type that could leave its KQL string: %j', (type) => {
    expect(() => resourcesQuery([type])).toThrow(/not a resource type/);
  });

  it('needs at least one type', () => {
    expect(() => resourcesQuery([])).toThrow();
  });
});
