targetScope = 'subscription'

// exemption-broker, second stage: the relay behind the recommendation blade's "Trigger logic app"
// button. Run it after the app's code is deployed (azd's postdeploy hook does; from the portal,
// the second Deploy to Azure button): on Flex Consumption a function key can be created only once
// the app runs the code that declares the function. azuredeploy-relay.json is this stage as ARM
// JSON; tests keep the two in step and the names in agreement with main.bicep.

@minLength(1)
@maxLength(64)
@description('The environment name given to the first stage.')
param environmentName string

@minLength(1)
@description('The region given to the first stage.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string = deployment().location

@description('As given to the first stage: resource group and function app names; empty for the generated ones.')
param resourceGroupName string = ''
param functionAppName string = ''
@description('Name of the relay Logic App the recommendation blade lists.')
param relayLogicAppName string = 'Request-ResourceExemption'

@description('Assessment keys of recommendations whose unhealthy results request an exemption automatically; empty for manual only.')
param continuousTriggerAssessmentKeys array = []

@secure()
@description('Seed of the relay\'s function key. Leave the default: each run of this stage sets a new key on both ends.')
param relayKeySeed string = newGuid()

// Computed exactly as in main.bicep, so both stages name the same resources.
var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'exemption-broker'
}
var rgName = !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
var appName = !empty(functionAppName) ? functionAppName : '${abbrs.webSitesFunctions}${resourceToken}'
// Two guids without dashes: 64 characters drawn from a fresh seed.
var relayFunctionKey = replace('${guid(relayKeySeed, 'relay-function-key', '1')}${guid(relayKeySeed, 'relay-function-key', '2')}', '-', '')

module relay 'modules/relay.bicep' = {
  name: 'relay-${resourceToken}'
  scope: resourceGroup(rgName)
  params: {
    name: relayLogicAppName
    location: location
    tags: tags
    connectionName: '${abbrs.webConnections}ascassessment-${resourceToken}'
    functionAppName: appName
    relayFunctionKey: relayFunctionKey
    continuousTriggerAssessmentKeys: continuousTriggerAssessmentKeys
    automationName: '${abbrs.securityAutomations}exemption-requests-${resourceToken}'
  }
}

output RELAY_LOGIC_APP_NAME string = relay.outputs.name
