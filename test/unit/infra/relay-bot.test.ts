import { describe, expect, it } from 'vitest';
import { moduleDeployment, nestedTemplate, resourcesOfType, type JsonObject } from './arm-template.js';
import { armTemplate, readText, routePrefix } from './fixtures.js';
import { checkBotIdentity, checkRelay } from './relay-bot.js';

const props = (r: JsonObject): JsonObject => r['properties'] as JsonObject;
const workflowAction = (t: ReturnType<typeof armTemplate>): JsonObject => {
  const [wf] = resourcesOfType(t, 'Microsoft.Logic/workflows');
  const actions = (props(wf!.resource)['definition'] as JsonObject)['actions'] as JsonObject;
  return (actions['Forward_to_exemption_broker'] as JsonObject)['inputs'] as JsonObject;
};

describe('the recommendation-blade relay', () => {
  it('posts the Defender trigger body to the intake route with the function key the template creates', () => {
    expect(routePrefix()).toBe('api');
    expect(checkRelay(armTemplate(), routePrefix())).toEqual([]);
  });

  it('fails when the route, the body or the key drifts', () => {
    const t = armTemplate();
    const inputs = workflowAction(t);
    inputs['uri'] = "[format('https://{0}/api/exemption-request', parameters('functionAppHostName'))]";
    inputs['body'] = "@triggerOutputs()";
    const given = props(moduleDeployment(t, 'relay'))['parameters'] as JsonObject;
    given['relayFunctionKey'] = { value: "[parameters('secretSeed')]" };
    expect(checkRelay(t, 'api')).toEqual([
      'relay HTTP action does not POST to https://<host>/api/exemption-requests',
      'relay does not forward the trigger body',
      'relay and function app are given different function keys',
    ]);
    const app = nestedTemplate(moduleDeployment(t, 'functionapp'))!;
    const key = app.resources.find((r) => r['type'] === 'Microsoft.Web/sites/host/functionKeys')!;
    props(key)['name'] = 'default';
    expect(checkRelay(t, 'api')).toContain('function app has no host key "relay" set from relayFunctionKey');
  });

  it('Bicep relay sends the same request', () => {
    const bicep = readText('infra', 'modules', 'relay.bicep');
    expect(bicep).toContain("uri: 'https://${functionAppHostName}/api/exemption-requests'");
    expect(bicep).toContain("body: '@triggerBody()'");
    expect(bicep).toContain("'x-functions-key': '@parameters(\\'functionKey\\')'");
    expect(bicep).toContain("path: '/Microsoft.Security/Assessment/subscribe'");
    expect(readText('infra', 'modules', 'functionapp.bicep')).toMatch(/name: '\$\{site\.name\}\/default\/relay'/);
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
