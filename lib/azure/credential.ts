import type { TokenCredential } from '@azure/core-auth';
import { ClientSecretCredential, DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import type { Settings } from '../config/settings.js';

/**
 * In Azure: the user-assigned managed identity. Locally: a client secret when one is given (how the
 * demo and tests sign in to the simulated tenant), else whatever DefaultAzureCredential finds.
 */
export function credentialFrom(identity: Settings['identity']): TokenCredential {
  if (identity.clientSecret) {
    if (!identity.tenantId || !identity.clientId) throw new Error('AZURE_CLIENT_SECRET needs AZURE_TENANT_ID and AZURE_CLIENT_ID');
    return new ClientSecretCredential(identity.tenantId, identity.clientId, identity.clientSecret, {
      authorityHost: identity.authorityHost,
      // A non-public authority (the simulated tenant, a sovereign cloud) is not in Entra's discovery list.
      disableInstanceDiscovery: !identity.authorityHost.startsWith('https://login.microsoftonline.com'),
    });
  }
  if (identity.clientId) return new ManagedIdentityCredential({ clientId: identity.clientId });
  return new DefaultAzureCredential();
}
