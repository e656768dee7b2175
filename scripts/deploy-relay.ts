/**
 * npm run relay:deploy — the second stage of a deployment, run by azd after `azd deploy` (the
 * postdeploy hook in azure.yaml): deploys infra/azuredeploy-relay.json, which creates the intake
 * function's "relay" key and the relay Logic App. It runs after the code because Flex Consumption
 * can create a function key only once the app runs the code that declares the function.
 * Signs in as azd does (azd auth login) and reads the azd environment's values.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AzureDeveloperCliCredential } from '@azure/identity';
import { ROOT } from './package-app.js';

const API_VERSION = '2024-03-01';

export interface RelayDeployment {
  url: string;
  body: { location: string; properties: { mode: 'Incremental'; template: unknown; parameters: Record<string, { value: unknown }> } };
}

/** The subscription-scope deployment request for an azd environment's values. */
export function relayDeployment(env: Record<string, string | undefined>, template: unknown, armEndpoint = 'https://management.azure.com'): RelayDeployment {
  const need = (name: string): string => {
    const v = env[name];
    if (!v) throw new Error(`${name} is not set: run this from azd (azd up / azd deploy) after azd provision`);
    return v;
  };
  const envName = need('AZURE_ENV_NAME');
  const location = need('AZURE_LOCATION');
  const keys = (env['CONTINUOUS_TRIGGER_ASSESSMENT_KEYS'] ?? '').split(/[;,\s]+/).filter(Boolean);
  // One deployment name per environment, so environments in one subscription never collide.
  const name = `exemption-broker-relay-${envName}`.slice(0, 64);
  return {
    url: `${armEndpoint}/subscriptions/${need('AZURE_SUBSCRIPTION_ID')}/providers/Microsoft.Resources/deployments/${encodeURIComponent(name)}?api-version=${API_VERSION}`,
    body: {
      location,
      properties: {
        mode: 'Incremental',
        template,
        parameters: {
          environmentName: { value: envName },
          location: { value: location },
          // The names the first stage actually used (its outputs), whatever parameters it was given.
          resourceGroupName: { value: need('AZURE_RESOURCE_GROUP') },
          functionAppName: { value: need('AZURE_FUNCTION_APP_NAME') },
          ...(keys.length ? { continuousTriggerAssessmentKeys: { value: keys } } : {}),
        },
      },
    },
  };
}

async function main(): Promise<void> {
  const template = JSON.parse(readFileSync(join(ROOT, 'infra', 'azuredeploy-relay.json'), 'utf8')) as unknown;
  const { url, body } = relayDeployment(process.env, template);
  const credential = new AzureDeveloperCliCredential();
  const call = async (method: string, target: string, payload?: unknown): Promise<Record<string, any>> => {
    const token = await credential.getToken('https://management.azure.com/.default');
    const res = await fetch(target, {
      method,
      headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' },
      ...(payload ? { body: JSON.stringify(payload) } : {}),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, any>;
    if (!res.ok) throw new Error(`${method} deployment: HTTP ${res.status} ${JSON.stringify(json.error ?? json)}`);
    return json;
  };
  console.log('Deploying the relay (second stage): the intake function key and the relay Logic App…');
  let state = (await call('PUT', url, body)).properties?.provisioningState as string | undefined;
  const deadline = Date.now() + 20 * 60_000;
  let last: Record<string, any> = {};
  while (!['Succeeded', 'Failed', 'Canceled'].includes(state ?? '') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10_000));
    last = await call('GET', url);
    state = last.properties?.provisioningState;
  }
  if (state !== 'Succeeded') throw new Error(`relay deployment ${state ?? 'timed out'}: ${JSON.stringify(last.properties?.error ?? {})}`);
  console.log(`Relay ready: ${last.properties?.outputs?.RELAY_LOGIC_APP_NAME?.value ?? ''}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
