/**
 * Wiring checks that span modules: the relay Logic App (second stage) reaches the intake route
 * with a key of the intake function alone, and the bot, the Teams channel and the app share one
 * identity.
 */
import { parseExpression, print } from './arm-expr.js';
import {
  asObject, moduleDeployment, moduleParam, nestedTemplate, resourcesOfType, type JsonObject, type Template,
} from './arm-template.js';
import { armAppSettings } from './app-settings.js';

export const INTAKE_ROUTE = 'exemption-requests';
/** The function that serves POST on the intake route (functions/exemption-requests-create.ts). */
export const INTAKE_FUNCTION = 'exemptionRequestsCreate';
export const BOT_ROUTE = 'messages';

const out = (module: string, output: string): string =>
  `[reference(extensionResourceId(format('/subscriptions/{0}/resourceGroups/{1}', subscription().subscriptionId, variables('rgName')), 'Microsoft.Resources/deployments', format('${module}-{0}', variables('resourceToken'))), '2022-09-01').outputs.${output}.value]`;

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
  const expectedUri = `[format('https://{0}/${routePrefix}/${INTAKE_ROUTE}', reference(resourceId('Microsoft.Web/sites', parameters('functionAppName')), '2024-04-01').defaultHostName)]`;
  if (http.length !== 1 || ain['method'] !== 'POST' || !same(uri, expectedUri))
    problems.push(`relay HTTP action does not POST to https://<host>/${routePrefix}/${INTAKE_ROUTE}`);
  if (ain['body'] !== '@triggerBody()') problems.push('relay does not forward the trigger body');
  if (moduleParam(root, 'relay', 'functionAppName') !== "[variables('appName')]") problems.push('relay does not target the function app');

  // The key: workflow SecureString parameter <- module parameter <- the value the intake function's key gets.
  const headers = asObject(ain['headers']) ?? {};
  const keyParam = /^@parameters\('(\w+)'\)$/.exec(String(headers['x-functions-key']))?.[1];
  const defParam = keyParam ? asObject(asObject(definition['parameters'])?.[keyParam]) : undefined;
  const keyValue = keyParam ? asObject(asObject(props['parameters'])?.[keyParam])?.['value'] : undefined;
  if (!keyParam || defParam?.['type'] !== 'SecureString' || keyValue !== "[parameters('relayFunctionKey')]")
    problems.push('relay does not send x-functions-key from a SecureString parameter fed by relayFunctionKey');
  if (resourcesOfType(root, 'Microsoft.Web/sites/host/functionKeys').length) problems.push('a host key is created: it would open every function, the read API included');
  const keys = resourcesOfType(root, 'Microsoft.Web/sites/functions/keys');
  const key = keys[0]?.resource ?? {};
  const keyProps = asObject(key['properties']) ?? {};
  const fnParam = asObject(keys[0]?.scope.template.parameters['intakeFunctionName']);
  const segments = String(key['name']) === "[format('{0}/{1}/{2}', parameters('functionAppName'), parameters('intakeFunctionName'), 'relay')]";
  if (keys.length !== 1 || !segments || fnParam?.['defaultValue'] !== INTAKE_FUNCTION || moduleParam(root, 'relay', 'intakeFunctionName') !== undefined)
    problems.push(`relay key is not one function key "relay" of ${INTAKE_FUNCTION}`);
  if (keyProps['name'] !== 'relay' || keyProps['value'] !== "[parameters('relayFunctionKey')]") problems.push('relay key is not set from relayFunctionKey');
  const keyId = "[resourceId('Microsoft.Web/sites/functions/keys', parameters('functionAppName'), parameters('intakeFunctionName'), 'relay')]";
  if (!(Array.isArray(workflow['dependsOn']) && workflow['dependsOn'].includes(keyId))) problems.push('relay Logic App is not updated after the key');
  if (String(nestedTemplate(moduleDeployment(root, 'relay'))?.parameters['relayFunctionKey']?.['type']).toLowerCase() !== 'securestring')
    problems.push('relay takes relayFunctionKey as a plain string');
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
