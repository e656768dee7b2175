/**
 * Wiring checks that span modules: the relay Logic App reaches the intake route with the key
 * the function app holds, and the bot, the Teams channel and the app share one identity.
 */
import { parseExpression, print } from './arm-expr.js';
import {
  asObject, moduleDeployment, moduleParam, nestedTemplate, resourcesOfType, type JsonObject, type Template,
} from './arm-template.js';
import { armAppSettings } from './app-settings.js';

export const INTAKE_ROUTE = 'exemption-requests';
export const BOT_ROUTE = 'messages';

const out = (module: string, output: string): string =>
  `[reference(extensionResourceId(format('/subscriptions/{0}/resourceGroups/{1}', subscription().subscriptionId, variables('rgName')), 'Microsoft.Resources/deployments', '${module}'), '2022-09-01').outputs.${output}.value]`;

/** Printed form, reading format('{0}', x) (Bicep's '${x}') as x. */
const canonical = (s: string): string => {
  const e = parseExpression(s);
  const bare = e.kind === 'call' && e.name === 'format' && e.args.length === 2 && e.args[0]?.kind === 'str' && e.args[0].value === '{0}';
  return print(bare ? e.args[1]! : e);
};
const same = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && canonical(a) === canonical(b);

function only(root: Template, type: string): JsonObject {
  const found = resourcesOfType(root, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!.resource;
}

export function checkRelay(root: Template, routePrefix: string): string[] {
  const problems: string[] = [];
  const workflow = only(root, 'Microsoft.Logic/workflows');
  const props = asObject(workflow['properties']) ?? {};
  const definition = asObject(props['definition']) ?? {};
  const triggers = Object.values(asObject(definition['triggers']) ?? {}).map((t) => asObject(t) ?? {});
  const trigger = triggers[0] ?? {};
  const tin = asObject(trigger['inputs']) ?? {};
  if (triggers.length !== 1 || trigger['type'] !== 'ApiConnectionWebhook' || tin['path'] !== '/Microsoft.Security/Assessment/subscribe')
    problems.push('relay trigger is not the Defender for Cloud recommendation trigger');
  const connections = asObject(asObject(asObject(props['parameters'])?.['$connections'])?.['value']);
  const relay = nestedTemplate(moduleDeployment(root, 'relay'));
  const apiId = String(asObject(connections?.['ascassessment'])?.['id']);
  const managedApi = String(asObject(relay?.['variables'])?.['managedApiId'] ?? apiId);
  if (!/'Microsoft\.Web\/locations\/managedApis'.*'ascassessment'\)\]$/.test(managedApi)) problems.push('relay connection is not the ascassessment managed API');

  const actions = Object.values(asObject(definition['actions']) ?? {}).map((a) => asObject(a) ?? {});
  const http = actions.filter((a) => a['type'] === 'Http');
  const ain = asObject(http[0]?.['inputs']) ?? {};
  const uri = String(ain['uri']);
  const expectedUri = `[format('https://{0}/${routePrefix}/${INTAKE_ROUTE}', parameters('functionAppHostName'))]`;
  if (http.length !== 1 || ain['method'] !== 'POST' || !same(uri, expectedUri))
    problems.push(`relay HTTP action does not POST to https://<host>/${routePrefix}/${INTAKE_ROUTE}`);
  if (ain['body'] !== '@triggerBody()') problems.push('relay does not forward the trigger body');
  if (!same(moduleParam(root, 'relay', 'functionAppHostName'), out('functionapp', 'defaultHostName')))
    problems.push('relay does not target the function app host');

  // The key: workflow SecureString parameter <- module parameter <- the same value the app's host key gets.
  const headers = asObject(ain['headers']) ?? {};
  const keyParam = /^@parameters\('(\w+)'\)$/.exec(String(headers['x-functions-key']))?.[1];
  const defParam = keyParam ? asObject(asObject(definition['parameters'])?.[keyParam]) : undefined;
  const keyValue = keyParam ? asObject(asObject(props['parameters'])?.[keyParam])?.['value'] : undefined;
  if (!keyParam || defParam?.['type'] !== 'SecureString' || keyValue !== "[parameters('relayFunctionKey')]")
    problems.push('relay does not send x-functions-key from a SecureString parameter fed by relayFunctionKey');
  const appTemplate = nestedTemplate(moduleDeployment(root, 'functionapp'));
  const hostKey = appTemplate?.resources.find((r) => String(r['type']) === 'Microsoft.Web/sites/host/functionKeys');
  const hostKeyProps = asObject(hostKey?.['properties']) ?? {};
  if (!hostKey || hostKeyProps['name'] !== 'relay' || hostKeyProps['value'] !== "[parameters('relayFunctionKey')]")
    problems.push('function app has no host key "relay" set from relayFunctionKey');
  if (!same(moduleParam(root, 'relay', 'relayFunctionKey'), moduleParam(root, 'functionapp', 'relayFunctionKey')))
    problems.push('relay and function app are given different function keys');
  for (const m of ['relay', 'functionapp'])
    if (String(nestedTemplate(moduleDeployment(root, m))?.parameters['relayFunctionKey']?.['type']).toLowerCase() !== 'securestring')
      problems.push(`${m} takes relayFunctionKey as a plain string`);
  return problems;
}

export function checkBotIdentity(root: Template, routePrefix: string): string[] {
  const problems: string[] = [];
  const identity = { identityId: out('identity', 'resourceId'), identityClientId: out('identity', 'clientId'), identityTenantId: out('identity', 'tenantId') };
  for (const m of ['bot', 'functionapp'])
    for (const [param, value] of Object.entries(identity))
      if (!same(moduleParam(root, m, param), value)) problems.push(`${m} is not given the app identity's ${param}`);

  const bot = asObject(only(root, 'Microsoft.BotService/botServices')['properties']) ?? {};
  if (bot['msaAppType'] !== 'UserAssignedMSI') problems.push('bot is not UserAssignedMSI');
  if (bot['msaAppMSIResourceId'] !== "[parameters('identityId')]" || bot['msaAppId'] !== "[parameters('identityClientId')]")
    problems.push('bot does not use the identity it is given');
  const expectedEndpoint = `[format('https://{0}/${routePrefix}/${BOT_ROUTE}', ${out('functionapp', 'defaultHostName').slice(1, -1)})]`;
  if (!same(moduleParam(root, 'bot', 'messagingEndpoint'), expectedEndpoint)) problems.push(`bot endpoint is not https://<host>/${routePrefix}/${BOT_ROUTE}`);

  const channel = only(root, 'Microsoft.BotService/botServices/channels');
  const cp = asObject(channel['properties']) ?? {};
  if (cp['channelName'] !== 'MsTeamsChannel' || asObject(cp['properties'])?.['isEnabled'] !== true) problems.push('Teams channel missing or disabled');

  const site = only(root, 'Microsoft.Web/sites');
  const uais = Object.keys(asObject(asObject(site['identity'])?.['userAssignedIdentities']) ?? {});
  if (uais.length !== 1 || !same(uais[0], "[parameters('identityId')]")) problems.push('function app does not run as the identity it is given');
  const settings = armAppSettings(root);
  for (const name of ['AZURE_CLIENT_ID', 'BOT_APP_ID', 'AzureWebJobsStorage__clientId'])
    if (settings[name] !== "[parameters('identityClientId')]") problems.push(`${name} is not the identity's client id`);
  if (settings['BOT_TENANT_ID'] !== "[parameters('identityTenantId')]") problems.push("BOT_TENANT_ID is not the identity's tenant");
  return problems;
}
