import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimTenant, trustSimCertificate, writeCaFile, type SimTenant } from '../../sim/index.js';

describe('sim: TLS certificate and trust', () => {
  let a: SimTenant;
  let b: SimTenant;
  let startMs = 0;
  beforeAll(async () => {
    const t0 = Date.now();
    [a, b] = await Promise.all([startSimTenant(), startSimTenant()]);
    startMs = Date.now() - t0;
  });
  afterAll(async () => { await Promise.all([a.close(), b.close()]); });

  it('serves a certificate for 127.0.0.1 and localhost, on 127.0.0.1', () => {
    const cert = new X509Certificate(a.caCertPem);
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(a.armEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(a.authorityHost).toBe(a.armEndpoint);
    expect(startMs).toBeLessThan(2000); // spec loading, certificate, both listeners
  });

  it('lets this process trust several sims at once', async () => {
    trustSimCertificate(a.caCertPem);
    trustSimCertificate(b.caCertPem);
    const [ra, rb] = await Promise.all([fetch(`${a.armEndpoint}/providers/x`), fetch(`${b.armEndpoint}/providers/x`)]);
    expect([ra.status, rb.status]).toEqual([401, 401]);
  });

  it('writes a PEM that child processes trust through NODE_EXTRA_CA_CERTS', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sim-ca-'));
    try {
      const file = await writeCaFile(dir, a.caCertPem);
      expect(await readFile(file, 'utf8')).toBe(a.caCertPem);
      const script = `fetch(${JSON.stringify(`${a.armEndpoint}/providers/x`)}).then(async (r) => console.log(r.status, (await r.json()).error.code))`;
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { env: { ...process.env, NODE_EXTRA_CA_CERTS: file } });
      expect(stdout.trim()).toBe('401 AuthenticationFailed');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
