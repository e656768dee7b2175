targetScope = 'subscription'

// exemption-broker: everything one deployment needs, from an empty subscription to a running app
// that the Defender for Cloud recommendation blade can trigger. azuredeploy.json is the same
// deployment as ARM JSON (for the Deploy to Azure button); tests keep the two in step.

@minLength(1)
@maxLength(64)
@description('Name of the environment; seeds the unique suffix of every generated resource name.')
param environmentName string

@minLength(1)
@description('Region of all regional resources; it must offer Flex Consumption.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string = deployment().location

@description('Resource group to create or reuse; empty for rg-<environmentName>.')
param resourceGroupName string = ''
@description('Names of the resources; empty for a generated name.')
param identityName string = ''
param storageAccountName string = ''
param appServicePlanName string = ''
param functionAppName string = ''
param keyVaultName string = ''
param logAnalyticsName string = ''
param applicationInsightsName string = ''
param emailServiceName string = ''
param communicationServiceName string = ''
param botName string = ''
@description('Name of the relay Logic App the recommendation blade lists.')
param relayLogicAppName string = 'Request-ResourceExemption'

@description('Where Azure Communication Services keeps its data.')
@allowed([
  'United States'
  'Europe'
  'UK'
  'Australia'
  'Japan'
  'France'
  'Switzerland'
  'Norway'
  'Germany'
  'Canada'
  'India'
  'Korea'
  'Asia Pacific'
  'Africa'
  'Brazil'
  'UAE'
])
param emailDataLocation string = 'United States'

@description('Public zip of the built app that the deployment installs; empty when azd deploys the code.')
param packageUri string = 'https://github.com/exemption-broker/exemption-broker/releases/latest/download/exemption-broker.zip'

@description('Subscriptions the app governs (it gets Security Reader, Resource Policy Contributor and Reader in each); empty for this subscription.')
param governedSubscriptionIds array = []

@description('Assessment keys of recommendations whose unhealthy results request an exemption automatically; empty for manual only.')
param continuousTriggerAssessmentKeys array = []

@description('Extra approvers (";"-separated emails) besides the subscriptions\' security contacts.')
param fallbackApprovers string = ''
@minValue(1)
@maxValue(3650)
param defaultExpiryDays int = 90
@minValue(1)
@maxValue(3650)
param maxExpiryDays int = 365
@allowed([
  'Waiver'
  'Mitigated'
])
param defaultExemptionCategory string = 'Waiver'

@description('Object id of the person or pipeline deploying, given Key Vault Secrets Officer on the vault; empty for none.')
param principalId string = ''

@secure()
@description('HMAC key for review links (at least 32 characters); empty to generate one.')
param reviewSigningKey string = ''
@secure()
@description('Jira webhook secret; empty to generate one (read it from the vault to configure Jira).')
param jiraWebhookSecret string = ''
@secure()
@description('Standard Webhooks secret (whsec_...); empty to generate one.')
param standardWebhookSecret string = ''
@secure()
@description('Seed of the generated secrets. Leave the default; pass the vault\'s secret-seed to keep them on a redeploy.')
param secretSeed string = newGuid()

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'exemption-broker'
}
var rgName = !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
var appName = !empty(functionAppName) ? functionAppName : '${abbrs.webSitesFunctions}${resourceToken}'
var deploymentContainerName = 'app-package-${take(appName, 32)}-${take(toLower(uniqueString(appName, resourceToken)), 7)}'
var roleSubscriptionIds = empty(governedSubscriptionIds) ? [
  subscription().subscriptionId
] : governedSubscriptionIds

// Storage names are the app's contract (lib/config/settings-catalog.ts STORAGE_NAMES).
var tableNames = [
  'exemptionrequests'
  'openrequestkeys'
]
var queueNames = [
  'exemption-notify'
  'exemption-apply'
]

// Generated secrets derive from one seed so that a redeploy given the same seed keeps them.
var generatedReviewSigningKey = replace('${guid(secretSeed, 'review-signing-key', '1')}${guid(secretSeed, 'review-signing-key', '2')}', '-', '')
var generatedJiraWebhookSecret = replace('${guid(secretSeed, 'webhook-secret-jira', '1')}${guid(secretSeed, 'webhook-secret-jira', '2')}', '-', '')
var generatedStandardWebhookSecret = 'whsec_${base64('${guid(secretSeed, 'webhook-secret-standard', '1')}${guid(secretSeed, 'webhook-secret-standard', '2')}')}'
var relayFunctionKey = replace('${guid(secretSeed, 'relay-function-key', '1')}${guid(secretSeed, 'relay-function-key', '2')}', '-', '')

// The app wants endpoints without a trailing slash; environment() gives them with one.
var armEndpoint = endsWith(environment().resourceManager, '/') ? take(environment().resourceManager, length(environment().resourceManager) - 1) : environment().resourceManager
var authorityHost = endsWith(environment().authentication.loginEndpoint, '/') ? take(environment().authentication.loginEndpoint, length(environment().authentication.loginEndpoint) - 1) : environment().authentication.loginEndpoint

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: rgName
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: !empty(identityName) ? identityName : '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: !empty(storageAccountName) ? storageAccountName : '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    tableNames: tableNames
    queueNames: queueNames
    principalId: identity.outputs.principalId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: !empty(logAnalyticsName) ? logAnalyticsName : '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: !empty(applicationInsightsName) ? applicationInsightsName : '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: !empty(keyVaultName) ? keyVaultName : '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    deployerPrincipalId: principalId
    reviewSigningKey: !empty(reviewSigningKey) ? reviewSigningKey : generatedReviewSigningKey
    jiraWebhookSecret: !empty(jiraWebhookSecret) ? jiraWebhookSecret : generatedJiraWebhookSecret
    standardWebhookSecret: !empty(standardWebhookSecret) ? standardWebhookSecret : generatedStandardWebhookSecret
    secretSeed: secretSeed
  }
}

module email 'modules/email.bicep' = {
  name: 'email'
  scope: rg
  params: {
    emailServiceName: !empty(emailServiceName) ? emailServiceName : '${abbrs.communicationEmailServices}${resourceToken}'
    communicationServiceName: !empty(communicationServiceName) ? communicationServiceName : '${abbrs.communicationCommunicationServices}${resourceToken}'
    dataLocation: emailDataLocation
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    name: appName
    planName: !empty(appServicePlanName) ? appServicePlanName : '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    identityTenantId: identity.outputs.tenantId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    reviewSigningKeyUri: keyVault.outputs.reviewSigningKeyUri
    jiraWebhookSecretUri: keyVault.outputs.jiraWebhookSecretUri
    standardWebhookSecretUri: keyVault.outputs.standardWebhookSecretUri
    acsEndpoint: email.outputs.endpoint
    emailFrom: email.outputs.senderAddress
    armEndpoint: armEndpoint
    authorityHost: authorityHost
    fallbackApprovers: fallbackApprovers
    defaultExpiryDays: defaultExpiryDays
    maxExpiryDays: maxExpiryDays
    defaultExemptionCategory: defaultExemptionCategory
    packageUri: packageUri
    relayFunctionKey: relayFunctionKey
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  scope: rg
  params: {
    name: !empty(botName) ? botName : '${abbrs.botServiceBotServices}${resourceToken}'
    tags: tags
    identityId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    identityTenantId: identity.outputs.tenantId
    messagingEndpoint: 'https://${functionApp.outputs.defaultHostName}/api/messages'
  }
}

module relay 'modules/relay.bicep' = {
  name: 'relay'
  scope: rg
  params: {
    name: relayLogicAppName
    location: location
    tags: tags
    connectionName: '${abbrs.webConnections}ascassessment-${resourceToken}'
    functionAppHostName: functionApp.outputs.defaultHostName
    relayFunctionKey: relayFunctionKey
    continuousTriggerAssessmentKeys: continuousTriggerAssessmentKeys
    automationName: '${abbrs.securityAutomations}exemption-requests-${resourceToken}'
  }
}

module subscriptionRoles 'modules/roles-subscription.bicep' = [for subscriptionId in roleSubscriptionIds: {
  name: 'roles-${subscriptionId}'
  scope: subscription(subscriptionId)
  params: {
    principalId: identity.outputs.principalId
  }
}]

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output RELAY_LOGIC_APP_NAME string = relay.outputs.name
output BOT_ID string = bot.outputs.appId
output BOT_NAME string = bot.outputs.name
output IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
