import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../../sim/index.js';
import { ARM_SCOPE, startFixture, type SimFixture } from './sim-fixture.js';

describe('sim: Entra token endpoint and ARM bearer auth', () => {
  let f: SimFixture;
  beforeAll(async () => { f = await startFixture(); });
  afterAll(async () => { await f.sim.close(); });

  it('issues a token to the real ClientSecretCredential, which ARM then accepts', async () => {
    const token = await f.credential.getToken(ARM_SCOPE);
    expect(token?.token).toMatch(/^simtok\./);
    expect(f.sim.requests.map((r) => r.operationId)).toEqual(expect.arrayContaining(['Entra_OpenIdConfiguration', 'Entra_Token']));
    const tokenRequest = f.sim.requests.find((r) => r.operationId === 'Entra_Token');
    expect(String(tokenRequest?.body)).toContain('client_secret=***');
    expect(String(tokenRequest?.body)).not.toContain(f.sim.credentials.clientSecret);

    const res = await fetch(`${f.sim.armEndpoint}/subscriptions/${SEED.subscriptions.production}/providers/Microsoft.Security/securityContacts?api-version=2023-12-01-preview`, {
      headers: { authorization: `Bearer ${token!.token}` },
    });
    expect(res.status).toBe(200);
    expect(f.sim.requests.at(-1)?.clientId).toBe(SEED.clientId);
  });

  it('refuses a wrong client secret with an AADSTS error', async () => {
    const bad = new ClientSecretCredential(f.sim.credentials.tenantId, f.sim.credentials.clientId, 'wrong', {
      authorityHost: f.sim.authorityHost, disableInstanceDiscovery: true,
    });
    await expect(bad.getToken(ARM_SCOPE)).rejects.toThrow(/AADSTS7000215/);
  });

  it('answers 401 in ARM error shape without a token or with an unknown one', async () => {
    const url = `${f.sim.armEndpoint}/providers/Microsoft.Authorization/policySetDefinitions/${SEED.mcsbSetDefinitionName}?api-version=2025-03-01`;
    const none = await fetch(url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('AuthenticationFailed');

    const forged = await fetch(url, { headers: { authorization: 'Bearer not-issued-by-the-sim' } });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: unknown }).error).toMatchObject({ code: 'InvalidAuthenticationToken', message: expect.any(String) });
  });
});
