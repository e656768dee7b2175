import { beforeAll, describe, expect, it } from 'vitest';

describe('a suite whose set-up fails', () => {
  beforeAll(() => {
    throw Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:40000'), { code: 'EADDRINUSE' });
  });
  it('never runs', () => expect(true).toBe(true));
});
