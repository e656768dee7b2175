import { describe, expect, it } from 'vitest';
import { moduleDeployment, nestedTemplate, resourcesOfType, type JsonObject } from './arm-template.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { armTemplate, readText, relayTemplate, ROOT, routePrefix } from './fixtures.js';
import { checkBotIdentity, checkRelay, INTAKE_FUNCTION, INTAKE_ROUTE } from './relay-bot.js';

const props = (r: JsonObject): JsonObject => r['properties'] as JsonObject;
const workflowAction = (t: ReturnType<typeof armTemplate>): JsonObject => {
  const [wf] = resourcesOfType(t, 'Microsoft.Logic/workflows');
  const actions = (props(wf!.resource)['definition'] as JsonObject)['actions'] as JsonObject;
  return (actions['Forward_to_exemption_broker'] as JsonObject)['inputs'] as JsonObject;
};

describe('the recommendation-blade relay (second stage)', () => {
  it('posts the Defender trigger body to the intake route with a key of the intake function only', () => {
    expect(routePrefix()).toBe('api');
    expect(checkRelay(relayTemplate(), routePrefix())).toEqual([]);
  });

  it('fails when the route, the body or the key drifts, or the key becomes a host key', () => {
    const t = relayTemplate();
    const inputs = workflowAction(t);
    inputs['uri'] = "[format('https://{0}/api/exemption-request', reference(resourceId('Microsoft.Web/sites', parameters('functionAppName')), '2024-04-01').defaultHostName)]";
    inputs['body'] = '@triggerOutputs()';
    const relay = nestedTemplate(moduleDeployment(t, 'relay'))!;
    const key = relay.resources.find((r) => r['type'] === 'Microsoft.Web/sites/functions/keys')!;
    key['type'] = 'Microsoft.Web/sites/host/functionKeys';
    key['name'] = "[format('{0}/default/relay', parameters('functionAppName'))]";
    expect(checkRelay(t, 'api')).toEqual([
      'relay HTTP action does not POST to https://<host>/api/exemption-requests',
      'relay does not forward the trigger body',
      'a host key is created: it would open every function, the read API included',
      'relay key is not one function key "relay" of exemptionRequestsCreate',
      'relay key is not set from relayFunctionKey',
    ]);
    const other = relayTemplate();
    (nestedTemplate(moduleDeployment(other, 'relay'))!.parameters['intakeFunctionName']!)['defaultValue'] = 'exemptionRequestsList';
    const [wf] = resourcesOfType(other, 'Microsoft.Logic/workflows');
    wf!.resource['dependsOn'] = [];
    expect(checkRelay(other, 'api')).toEqual([
      'relay key is not one function key "relay" of exemptionRequestsCreate',
      'relay Logic App is not updated after the key',
    ]);
  });

  it('the keyed function is the POST-only intake; the read API on the same route is other functions', () => {
    const registrations = readdirSync(join(ROOT, 'functions')).flatMap((f) =>
      [...readText('functions', f).matchAll(/defineHttpFunction\(\{\s*name:\s*'(\w+)',\s*route:\s*([^,]+),\s*methods:\s*\[([^\]]*)\]/g)].map((m) => ({
        name: m[1]!, route: m[2]!.trim(), methods: [...m[3]!.matchAll(/'(\w+)'/g)].map((x) => x[1]),
      })));
    const intake = registrations.find((r) => r.name === INTAKE_FUNCTION);
    expect(intake).toEqual({ name: INTAKE_FUNCTION, route: 'REQUESTS_ROUTE', methods: ['POST'] });
    expect(readText('lib', 'requests', 'request-view.ts')).toContain(`export const REQUESTS_ROUTE = '${INTAKE_ROUTE}';`);
    const readers = registrations.filter((r) => r.route.includes('REQUESTS_ROUTE') && r.methods.includes('GET'));
    expect(readers.length).toBeGreaterThan(0);
    for (const r of readers) expect(r.name).not.toBe(INTAKE_FUNCTION);
  });

  it('names the same resource group and app as the first stage', () => {
    const first = armTemplate()['variables'] as JsonObject;
    const second = relayTemplate()['variables'] as JsonObject;
    for (const v of ['abbrs', 'resourceToken', 'tags', 'rgName', 'appName']) expect(second[v], v).toEqual(first[v]);
    const bicep = (f: string): string[] => readText('infra', f).split('\n').filter((l) => /^var (resourceToken|rgName|appName|tags) /.test(l));
    expect(bicep('relay.bicep')).toEqual(bicep('main.bicep'));
    expect(bicep('relay.bicep')).toHaveLength(4);
  });

  it('Bicep relay sends the same request with the intake function key', () => {
    const bicep = readText('infra', 'modules', 'relay.bicep');
    expect(bicep).toContain("uri: 'https://${site.properties.defaultHostName}/api/exemption-requests'");
    expect(bicep).toContain("body: '@triggerBody()'");
    expect(bicep).toContain("'x-functions-key': '@parameters(\\'functionKey\\')'");
    expect(bicep).toContain("path: '/Microsoft.Security/Assessment/subscribe'");
    expect(bicep).toContain(`param intakeFunctionName string = '${INTAKE_FUNCTION}'`);
    expect(bicep).toMatch(/resource relayKey 'Microsoft\.Web\/sites\/functions\/keys@2024-04-01' = \{\n\s+parent: intake\n\s+name: 'relay'/);
    for (const f of ['main.bicep', 'relay.bicep', 'modules/functionapp.bicep', 'modules/relay.bicep']) expect(readText('infra', f)).not.toContain('host/functionKeys');
  });
});

describe('the Teams bot', () => {
  it('uses the same user-assigned identity as the app, with the Teams channel on', () => {
    expect(checkBotIdentity(armTemplate(), routePrefix())).toEqual([]);
  });

  it('fails when the bot or the app is given another identity', () => {
    const t = armTemplate();
    const given = props(moduleDeployment(t, 'bot'))['parameters'] as JsonObject;
    given['identityClientId'] = { value: "[parameters('botName')]" };
    const [bot] = resourcesOfType(t, 'Microsoft.BotService/botServices');
    props(bot!.resource)['msaAppType'] = 'MultiTenant';
    const [channel] = resourcesOfType(t, 'Microsoft.BotService/botServices/channels');
    ((props(channel!.resource)['properties'] as JsonObject))['isEnabled'] = false;
    expect(checkBotIdentity(t, 'api')).toEqual([
      "bot is not given the app identity's identityClientId",
      'bot is not UserAssignedMSI',
      'Teams channel missing or disabled',
    ]);
  });

  it('Bicep bot is UserAssignedMSI on the identity it is given', () => {
    const bicep = readText('infra', 'modules', 'bot.bicep');
    for (const line of ["msaAppType: 'UserAssignedMSI'", 'msaAppId: identityClientId', 'msaAppMSIResourceId: identityId', "channelName: 'MsTeamsChannel'"])
      expect(bicep).toContain(line);
    expect(readText('infra', 'main.bicep')).toContain("messagingEndpoint: 'https://${functionApp.outputs.defaultHostName}/api/messages'");
  });
});
