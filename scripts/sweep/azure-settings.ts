import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

export type AzureEnvironment =
  | { readonly kind: 'ok'; readonly env: Record<string, string>; readonly notes: readonly string[] }
  | { readonly kind: 'error'; readonly message: string };

export const STORAGE_MISSING = '--azure needs the app\'s storage for the request index and the findings, and none is set. '
  + 'Set AzureWebJobsStorage to a storage connection string, or AzureWebJobsStorage__tableServiceUri and '
  + 'AzureWebJobsStorage__queueServiceUri to use your Azure login, in the environment or in local.settings.json "Values".';

/** The `Values` of ./local.settings.json as text, or undefined when there is no such file. */
export async function readLocalSettings(directory: string): Promise<string | undefined> {
  try {
    return await readFile(join(directory, 'local.settings.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The settings a sweep against a real tenant runs with: local.settings.json `Values` (as the Functions
 * host reads them), with the environment winning where both set a value. Without a client secret the app
 * signs in with DefaultAzureCredential, which includes the Azure CLI login.
 */
export function azureEnvironment(processEnv: Env, localSettings: string | undefined, dryRun: boolean): AzureEnvironment {
  const env: Record<string, string> = {};
  if (localSettings !== undefined) {
    let values: unknown;
    try {
      values = (JSON.parse(localSettings) as { Values?: unknown }).Values;
    } catch (error) {
      return { kind: 'error', message: `local.settings.json is not valid JSON: ${(error as Error).message}` };
    }
    if (values !== undefined && (typeof values !== 'object' || values === null || Array.isArray(values))) {
      return { kind: 'error', message: 'local.settings.json: "Values" must be an object of setting names and values' };
    }
    for (const [name, value] of Object.entries(values ?? {})) if (typeof value === 'string' && value.trim()) env[name] = value;
  }
  for (const [name, value] of Object.entries(processEnv)) if (value !== undefined && value.trim()) env[name] = value;

  if (!env.AzureWebJobsStorage && !(env.AzureWebJobsStorage__tableServiceUri && env.AzureWebJobsStorage__queueServiceUri)) {
    return { kind: 'error', message: STORAGE_MISSING };
  }
  const notes: string[] = [];
  if (env.AZURE_CLIENT_ID && !env.AZURE_CLIENT_SECRET) {
    notes.push('AZURE_CLIENT_ID is set without AZURE_CLIENT_SECRET, so the app signs in as that managed identity; '
      + 'unset AZURE_CLIENT_ID to use your Azure CLI login instead.');
  }
  if (dryRun && !env.REVIEW_SIGNING_KEY) {
    // It signs links in mails and on pages; a dry run sends and serves none.
    env.REVIEW_SIGNING_KEY = randomBytes(32).toString('base64url');
    notes.push('REVIEW_SIGNING_KEY is not set; this dry run uses a throwaway key (it signs nothing that leaves).');
  }
  return { kind: 'ok', env, notes };
}
