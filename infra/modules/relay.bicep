// The recommendation-blade relay: a Logic App whose trigger is Defender for Cloud's
// recommendation trigger (so the portal's "Trigger logic app" button lists it), forwarding the
// event unchanged to the app's intake route with a function key. The trigger carries no identity
// of the person who clicked, so nothing else is forwarded; the app records the relay as the channel.
// Deployed by the second stage (relay.bicep): Flex Consumption can create a function key only
// once the app runs the code that declares the function.
param name string
param location string
param tags object = {}
param connectionName string
param functionAppName string
@description('The intake function (POST exemption-requests); its key opens no other function.')
param intakeFunctionName string = 'exemptionRequestsCreate'
@secure()
param relayFunctionKey string
@description('Assessment keys (recommendations) to trigger continuously; empty leaves it manual.')
param continuousTriggerAssessmentKeys array = []
param automationName string

// Must match the trigger's key in the definition below.
var triggerName = 'When_a_Defender_for_Cloud_recommendation_is_created_or_triggered'
var managedApiId = subscriptionResourceId('Microsoft.Web/locations/managedApis', location, 'ascassessment')

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource intake 'Microsoft.Web/sites/functions@2024-04-01' existing = {
  parent: site
  name: intakeFunctionName
}

// A function-level key, not a host key: a host key would also open the read API
// (exemptionRequestsGet/List share the route path with GET).
resource relayKey 'Microsoft.Web/sites/functions/keys@2024-04-01' = {
  parent: intake
  name: 'relay'
  properties: {
    name: 'relay'
    value: relayFunctionKey
  }
}

resource connection 'Microsoft.Web/connections@2016-06-01' = {
  name: connectionName
  location: location
  tags: tags
  properties: {
    displayName: 'Defender for Cloud recommendation'
    api: {
      id: managedApiId
    }
  }
}

resource workflow 'Microsoft.Logic/workflows@2019-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    state: 'Enabled'
    definition: {
      '$schema': 'https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#'
      contentVersion: '1.0.0.0'
      parameters: {
        '$connections': {
          defaultValue: {}
          type: 'Object'
        }
        functionKey: {
          defaultValue: ''
          type: 'SecureString'
        }
      }
      triggers: {
        When_a_Defender_for_Cloud_recommendation_is_created_or_triggered: {
          type: 'ApiConnectionWebhook'
          inputs: {
            body: {
              callback_url: '@{listCallbackUrl()}'
            }
            host: {
              connection: {
                name: '@parameters(\'$connections\')[\'ascassessment\'][\'connectionId\']'
              }
            }
            path: '/Microsoft.Security/Assessment/subscribe'
          }
        }
      }
      actions: {
        Forward_to_exemption_broker: {
          type: 'Http'
          runAfter: {}
          inputs: {
            method: 'POST'
            uri: 'https://${site.properties.defaultHostName}/api/exemption-requests'
            headers: {
              'Content-Type': 'application/json'
              'x-functions-key': '@parameters(\'functionKey\')'
            }
            body: '@triggerBody()'
            retryPolicy: {
              type: 'exponential'
              count: 4
              interval: 'PT15S'
            }
          }
          // Keeps the key out of the run history.
          runtimeConfiguration: {
            secureData: {
              properties: [
                'inputs'
              ]
            }
          }
        }
      }
      outputs: {}
    }
    parameters: {
      '$connections': {
        value: {
          ascassessment: {
            connectionId: connection.id
            connectionName: connection.name
            id: managedApiId
          }
        }
      }
      functionKey: {
        value: relayFunctionKey
      }
    }
  }
  // The app knows the key before the relay sends it.
  dependsOn: [
    relayKey
  ]
}

resource automation 'Microsoft.Security/automations@2019-01-01-preview' = if (!empty(continuousTriggerAssessmentKeys)) {
  name: automationName
  location: location
  tags: tags
  properties: {
    description: 'Requests an exemption whenever a chosen recommendation is unhealthy.'
    isEnabled: true
    scopes: [
      {
        description: 'Deployment subscription'
        scopePath: subscription().id
      }
    ]
    sources: [
      {
        eventSource: 'Assessments'
        ruleSets: [for key in continuousTriggerAssessmentKeys: {
          rules: [
            {
              propertyJPath: 'name'
              propertyType: 'String'
              expectedValue: key
              operator: 'Equals'
            }
            {
              propertyJPath: 'properties.status.code'
              propertyType: 'String'
              expectedValue: 'Unhealthy'
              operator: 'Equals'
            }
          ]
        }]
      }
    ]
    actions: [
      {
        actionType: 'LogicApp'
        logicAppResourceId: workflow.id
        uri: listCallbackUrl(resourceId('Microsoft.Logic/workflows/triggers', workflow.name, triggerName), '2019-05-01').value
      }
    ]
  }
}

output name string = workflow.name
