import type { TokenCredential } from '@azure/core-auth';

/** What every ARM client is built from; retry timings are the pipeline's, tunable for fast tests. */
export interface ArmClientOptions {
  readonly endpoint: string;
  readonly credential: TokenCredential;
  readonly retry?: { readonly maxRetries?: number; readonly retryDelayInMs?: number; readonly maxRetryDelayInMs?: number };
}

export function credentialScope(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/.default`;
}
