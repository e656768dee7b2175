// The sim's TLS identity: a self-signed certificate made at start (Bearer tokens only travel over HTTPS,
// so the Azure SDK clients must trust it).
import { randomUUID, X509Certificate } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import { generate } from 'selfsigned';

export interface SimCertificate {
  keyPem: string;
  certPem: string;
}

export async function makeCertificate(): Promise<SimCertificate> {
  // EC keys: an RSA-2048 key alone can take most of a second to generate.
  // A unique subject per sim: OpenSSL finds trust anchors by subject name, so two sims in one process
  // that both called themselves plain "CN=localhost" would shadow each other's certificate.
  const pems = await generate([
    { name: 'commonName', value: 'localhost' },
    { name: 'organizationName', value: `exemption-broker simulated tenant ${randomUUID()}` },
  ], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 7 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { keyPem: pems.private, certPem: pems.cert };
}

/**
 * Makes every TLS client of this process (fetch, https, the Azure SDK pipeline) trust the sim, keeping
 * the system roots. Child processes do not inherit this: give them NODE_EXTRA_CA_CERTS=writeCaFile(dir).
 */
export function trustSimCertificate(pem: string): void {
  const current = tls.getCACertificates('default');
  if (current.includes(pem)) return;
  tls.setDefaultCACertificates([...current, pem]);
}

/** Writes the CA certificate to `<dir>/sim-ca-<fingerprint>.pem` and returns that path (for NODE_EXTRA_CA_CERTS). */
export async function writeCaFile(dir: string, pem: string): Promise<string> {
  // One file per certificate: several sims may write into the same directory.
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `sim-ca-${new X509Certificate(pem).fingerprint256.replace(/:/g, '').slice(0, 16).toLowerCase()}.pem`);
  await writeFile(file, pem, 'utf8');
  return file;
}
