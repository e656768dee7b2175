/**
 * The two deployment scripts, run for real by sh against a stand-in `az` that keeps a vault in a
 * folder and can refuse access for a while (a role assignment that has not spread yet).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INFRA } from './fixtures.js';

// Vault: $FAKE/secrets/<name> (value), $FAKE/deleted/<name>. $FAKE/deny: how many more calls get 403.
const FAKE_AZ = `#!/bin/sh
deny=$(cat "$FAKE/deny" 2>/dev/null || echo 0)
echo "$*" >> "$FAKE/calls"
if [ "$deny" -gt 0 ]; then echo $((deny - 1)) > "$FAKE/deny"; echo "(Forbidden) Caller is not authorized" >&2; exit 1; fi
arg() { while [ $# -gt 0 ]; do [ "$1" = "$want" ] && { echo "$2"; return; }; shift; done; }
want=--name; name=$(arg "$@"); want=--file; file=$(arg "$@")
case "$1 $2 $3" in
  "keyvault secret show")
    if [ -n "$name" ] && [ -f "$FAKE/secrets/$name" ]; then echo "https://vault/secrets/$name"; exit 0; fi
    if [ -z "$name" ]; then exit 0; fi
    echo "(SecretNotFound) A secret with (name/id) $name was not found in this key vault." >&2; exit 1 ;;
  "keyvault secret set")
    if [ -f "$FAKE/deleted/$name" ]; then echo "(Conflict) ObjectIsDeletedButRecoverable" >&2; exit 1; fi
    cp "$file" "$FAKE/secrets/$name" ;;
  "keyvault secret recover") mv "$FAKE/deleted/$name" "$FAKE/secrets/$name" ;;
  "storage blob list"|"storage message peek") exit 0 ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
`;

const root = mkdtempSync(join(tmpdir(), 'deploy-scripts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function fakeVault(secrets: Record<string, string> = {}, deleted: Record<string, string> = {}, deny = 0): string {
  const dir = join(root, `case-${n++}`);
  for (const sub of ['bin', 'secrets', 'deleted']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'bin', 'az'), FAKE_AZ);
  chmodSync(join(dir, 'bin', 'az'), 0o755);
  for (const [k, v] of Object.entries(secrets)) writeFileSync(join(dir, 'secrets', k), v);
  for (const [k, v] of Object.entries(deleted)) writeFileSync(join(dir, 'deleted', k), v);
  writeFileSync(join(dir, 'deny'), String(deny));
  return dir;
}

function run(script: string, fake: string, env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('sh', [join(INFRA, 'scripts', script)], {
    encoding: 'utf8',
    env: { PATH: `${join(fake, 'bin')}:${process.env['PATH']}`, FAKE: fake, RETRY_SECONDS: '0', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const secret = (fake: string, name: string): string => readFileSync(join(fake, 'secrets', name), 'utf8');
const NAMES = ['review-signing-key', 'webhook-secret-jira', 'webhook-secret-standard', 'jira-api-token', 'servicenow-password', 'servicenow-client-secret'];

describe.skipIf(process.platform === 'win32')('ensure-secrets.sh (deployment script)', () => {
  it('creates the missing secrets: 64 hex characters, and whsec_ + 32 random bytes for Standard Webhooks', () => {
    const fake = fakeVault();
    const r = run('ensure-secrets.sh', fake, { VAULT_NAME: 'kv' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(NAMES.map((s) => `${s}: created`));
    expect(secret(fake, 'review-signing-key')).toMatch(/^[0-9a-f]{64}$/);
    expect(secret(fake, 'webhook-secret-jira')).toMatch(/^[0-9a-f]{64}$/);
    expect(secret(fake, 'review-signing-key')).not.toBe(secret(fake, 'webhook-secret-jira'));
    const standard = secret(fake, 'webhook-secret-standard');
    expect(standard).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(standard.slice(6), 'base64')).toHaveLength(32);
    // The customer's own credentials: a placeholder the app reads as "not given" until they set the secret.
    for (const name of NAMES.slice(3)) expect(secret(fake, name)).toBe('not-configured');
    // Values never appear on a command line.
    expect(readFileSync(join(fake, 'calls'), 'utf8')).not.toContain(secret(fake, 'review-signing-key'));
  });

  it('keeps every secret that exists: a redeploy rotates nothing', () => {
    const existing = {
      'review-signing-key': 'k'.repeat(64), 'webhook-secret-jira': 'j'.repeat(64), 'webhook-secret-standard': 'whsec_old',
      'jira-api-token': 'ATATT-token', 'servicenow-password': 'pw', 'servicenow-client-secret': 'cs',
    };
    const fake = fakeVault(existing);
    const r = run('ensure-secrets.sh', fake, { VAULT_NAME: 'kv' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(NAMES.map((s) => `${s}: kept`));
    for (const [k, v] of Object.entries(existing)) expect(secret(fake, k)).toBe(v);
    expect(readFileSync(join(fake, 'calls'), 'utf8')).not.toMatch(/secret set/);
  });

  it('recovers a soft-deleted secret with its old value instead of replacing it', () => {
    const fake = fakeVault({ 'review-signing-key': 'a'.repeat(64), 'webhook-secret-jira': 'b'.repeat(64) }, { 'webhook-secret-standard': 'whsec_kept' });
    const r = run('ensure-secrets.sh', fake, { VAULT_NAME: 'kv' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('webhook-secret-standard: recovered');
    expect(secret(fake, 'webhook-secret-standard')).toBe('whsec_kept');
  });

  it('waits while its role assignment spreads, and never mistakes "forbidden" for "absent"', () => {
    const fake = fakeVault({ 'review-signing-key': 'k'.repeat(64) }, {}, 3);
    const r = run('ensure-secrets.sh', fake, { VAULT_NAME: 'kv' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('review-signing-key: kept');
    expect(secret(fake, 'review-signing-key')).toBe('k'.repeat(64));

    const never = fakeVault({ 'review-signing-key': 'k'.repeat(64) }, {}, 1000);
    const failed = run('ensure-secrets.sh', never, { VAULT_NAME: 'kv', ROLE_WAIT_SECONDS: '0' });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain('cannot read secret review-signing-key');
    expect(secret(never, 'review-signing-key')).toBe('k'.repeat(64));
    expect(existsSync(join(never, 'secrets', 'webhook-secret-jira'))).toBe(false);
  });
});

describe.skipIf(process.platform === 'win32')('wait-for-roles.sh (deployment script)', () => {
  const env = { STORAGE_ACCOUNT: 'st', CONTAINER: 'app-package', QUEUE: 'exemption-notify', SECRET_URI: 'https://kv/secrets/review-signing-key' };

  it('returns once the identity can read the container, the queue and the secret', () => {
    const fake = fakeVault({}, {}, 4);
    const r = run('wait-for-roles.sh', fake, env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['blob container app-package: ready', 'queue exemption-notify: ready', 'Key Vault secret: ready']);
    const calls = readFileSync(join(fake, 'calls'), 'utf8');
    expect(calls).toMatch(/storage blob list --auth-mode login --account-name st --container-name app-package/);
    expect(calls).toMatch(/keyvault secret show --id https:\/\/kv\/secrets\/review-signing-key/);
  });

  it('fails the deployment when access never comes, so the app is not created half-working', () => {
    const fake = fakeVault({}, {}, 1000);
    const r = run('wait-for-roles.sh', fake, { ...env, ROLE_WAIT_SECONDS: '0' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("the app's identity still cannot use blob container app-package");
  });
});
