import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../../sim/index.js';
import { CONTACTS_API, startFixture, type SimFixture } from './sim-fixture.js';

type Contact = { id: string; name: string; properties: { emails: string } };

describe('sim: security contacts 2023-12-01-preview in both list shapes', () => {
  let f: SimFixture;
  beforeAll(async () => { f = await startFixture(); });
  afterAll(async () => { await f.sim.close(); });

  const list = (sub: string, apiVersion = CONTACTS_API) => f.rest
    .path('/subscriptions/{subscriptionId}/providers/Microsoft.Security/securityContacts', sub)
    .get({ queryParameters: { 'api-version': apiVersion } });

  it('answers { value: [...] } where the seed says so, emails as one ;-separated string', async () => {
    const res = await list(SEED.contactsShape.value);
    expect(res.status).toBe('200');
    const value = (res.body as { value: Contact[] }).value;
    expect(value).toHaveLength(1);
    expect(value[0]?.name).toBe('default');
    const emails = value[0]!.properties.emails;
    expect(typeof emails).toBe('string');
    expect(emails).toContain('; '); // spaces around separators
    const split = [...new Set(emails.split(';').map((e) => e.trim().toLowerCase()).filter(Boolean))];
    expect(split).toEqual(SEED.contactEmails[SEED.contactsShape.value]);
    expect(f.sim.violations).toEqual([]);
  });

  it('answers a bare JSON array where the seed says so, and the self-check still accepts it', async () => {
    const res = await list(SEED.contactsShape.array);
    expect(res.status).toBe('200');
    expect(Array.isArray(res.body)).toBe(true);
    const emails = (res.body as Contact[])[0]!.properties.emails;
    const split = [...new Set(emails.split(';').map((e) => e.trim().toLowerCase()).filter(Boolean))];
    expect(split).toEqual(SEED.contactEmails[SEED.contactsShape.array]);
    expect(emails.split(';').length).toBeGreaterThan(split.length); // duplicates differing in case are seeded
    expect(f.sim.violations).toEqual([]);
  });

  it('answers an empty list for a subscription without contacts, and gets "default" by name', async () => {
    const none = await list(SEED.contactsShape.none);
    expect((none.body as { value: unknown[] }).value).toEqual([]);
    const one = await f.rest.path('/subscriptions/{subscriptionId}/providers/Microsoft.Security/securityContacts/{name}', SEED.subscriptions.production, 'default')
      .get({ queryParameters: { 'api-version': CONTACTS_API } });
    expect(one.status).toBe('200');
    expect((one.body as Contact).id).toBe(`/subscriptions/${SEED.subscriptions.production}/providers/Microsoft.Security/securityContacts/default`);
    expect(f.sim.violations).toEqual([]);
  });

  it('rejects the 2017 api-version @azure/arm-security 5 would send, and a contact name other than "default"', async () => {
    const old = await list(SEED.subscriptions.production, '2017-08-01-preview');
    expect(old.status).toBe('400');
    expect((old.body as { error: { code: string } }).error.code).toBe('InvalidApiVersionParameter');
    const badName = await f.rest.path('/subscriptions/{subscriptionId}/providers/Microsoft.Security/securityContacts/{name}', SEED.subscriptions.production, 'primary')
      .get({ queryParameters: { 'api-version': CONTACTS_API } });
    expect(badName.status).toBe('400');
    expect(f.sim.violations.map((v) => v.problems[0]?.target)).toEqual(['query.api-version', 'path.securityContactName']);
  });
});
