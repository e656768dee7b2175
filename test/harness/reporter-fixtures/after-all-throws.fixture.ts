import { afterAll, expect, it } from 'vitest';

afterAll(() => {
  throw new Error('tear-down failed');
});
it('passes before the tear-down fails', () => expect(true).toBe(true));
