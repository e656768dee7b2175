targetScope = 'subscription'

// exemption-broker, first stage: everything from an empty subscription to a running app.
// The second stage (relay.bicep) adds the relay the Defender for Cloud recommendation blade
// triggers, once the code runs. azuredeploy.json is this deployment as ARM JSON (for the Deploy
// to Azure button); tests keep the two in step.

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

// A versioned release asset (the release workflow uploads it; its name is the one Flex
// Consumption's one deploy expects in the deployment container), so a deployment installs the
// code this template was written for.
@description('Public zip of the built app that the deployment installs; empty when azd deploys the code.')
param packageUri string = 'https://github.com/exemption-broker/exemption-broker/releases/download/v0.1.0/released-package.zip'

@description('Subscriptions the app governs (it gets Security Reader, Reader, a policy-exemption writer role, a Defender standard-exemption writer role and a policy-evaluation trigger role in each); empty for this subscription.')
param governedSubscriptionIds array = []

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
@description('The widest scope a request may name with an assessment key: resource, resourceGroup or subscription (subscription-wide exemptions are off unless chosen here).')
@allowed([
  'resource'
  'resourceGroup'
  'subscription'
])
param maxScopeLevel string = 'resourceGroup'
@description('Seconds within which Defender relay events for the same recommendation, subscription and requester join one request, notified once when the window closes; 0 turns coalescing off.')
@minValue(0)
@maxValue(900)
param coalesceWindowSeconds int = 60

@description('Teams channels for review cards, as JSON: {"subscriptions":{"<subscription id>":"19:…@thread.tacv2"},"managementGroups":{"<management group id>":"19:…@thread.tacv2"},"default":"19:…@thread.tacv2"}; a subscription entry wins, then the nearest management group, then default (docs/teams.md); empty: no channel cards.')
param teamsChannelMap string = ''

// The nightly sweep (docs/deploy.md, "Nightly sweep"). It runs at 02:00 UTC (SWEEP_SCHEDULE).
@description('What the nightly sweep covers: ";"-separated subscription ids, or management group ids as /providers/Microsoft.Management/managementGroups/<id> (not both); empty for every subscription the identity can read. A management group needs Reader and the evaluation trigger role granted there by hand (docs/deploy.md).')
param sweepScope string = ''
@description('Days before expiry at which requester and approvers are warned (","-separated, 1 to 365).')
param sweepWarnDays string = '30,7,1'
@description('Delete a managed exemption this many days after it expired; 0 never deletes (and the delete role is not granted).')
@minValue(0)
@maxValue(3650)
param sweepDeleteExpiredAfterDays int = 0
@description('Hours Defender may take to reflect an exemption change before the sweep reports a mismatch.')
@minValue(1)
@maxValue(168)
param sweepDefenderLagHours int = 24
@description('Where the sweep digest goes (";"-separated emails); empty for each subscription\'s security contacts and the fallback approvers.')
param sweepDigestTo string = ''
@description('TICKET_MAPPINGS: how ticket webhooks create and decide requests, as JSON (docs/ticketing.md); empty for the documented defaults.')
param ticketMappings string = ''

@description('Object id of the person or pipeline deploying, given Key Vault Secrets Officer on the vault; empty for none.')
param principalId string = ''

// Secrets left empty are generated once, when the vault lacks them, and kept on redeploys.
@secure()
@description('HMAC key for review links (at least 32 characters); empty to keep the current one (generated on the first deployment).')
param reviewSigningKey string = ''
@secure()
@description('Jira webhook secret; empty to keep the current one (generated on the first deployment; read it from the vault to configure Jira).')
param jiraWebhookSecret string = ''
@secure()
@description('Standard Webhooks secret (whsec_...); empty to keep the current one (generated on the first deployment).')
param standardWebhookSecret string = ''
@secure()
@description('Jira API token for outbound comments; empty to keep the current one (a placeholder until set).')
param jiraApiToken string = ''
@secure()
@description('ServiceNow basic-auth password for outbound work notes; empty to keep the current one (a placeholder until set).')
param servicenowPassword string = ''
@secure()
@description('ServiceNow OAuth client secret for outbound work notes; empty to keep the current one (a placeholder until set).')
param servicenowClientSecret string = ''
@description('Jira Cloud site (https://<site>.atlassian.net) that linked issues are commented on; empty for no outbound comments.')
param jiraBaseUrl string = ''
@description('Atlassian account e-mail the comments are written as.')
param jiraUserEmail string = ''
@description('ServiceNow instance (https://<instance>.service-now.com) whose linked records get work notes; empty for none.')
param servicenowInstanceUrl string = ''
@description('ServiceNow basic-auth user (or leave empty and give servicenowClientId).')
param servicenowUser string = ''
@description('ServiceNow OAuth client id (client credentials), instead of a basic-auth user.')
param servicenowClientId string = ''

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
  'sweepruns'
  'sweepfindings'
  'ticketlinks'
  'teamsconversations'
  'teamscards'
]
// The first is the queue the role wait probes.
var queueNames = [
  'exemption-notify'
  'exemption-apply'
  'exemption-sweep'
  'exemption-tickets'
  'exemption-teams'
]

// The app wants endpoints without a trailing slash; environment() gives them with one.
var armEndpoint = endsWith(environment().resourceManager, '/') ? take(environment().resourceManager, length(environment().resourceManager) - 1) : environment().resourceManager
var authorityHost = endsWith(environment().authentication.loginEndpoint, '/') ? take(environment().authentication.loginEndpoint, length(environment().authentication.loginEndpoint) - 1) : environment().authentication.loginEndpoint

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: rgName
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity-${resourceToken}'
  scope: rg
  params: {
    name: !empty(identityName) ? identityName : '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage-${resourceToken}'
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
  name: 'monitoring-${resourceToken}'
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
  name: 'keyvault-${resourceToken}'
  scope: rg
  params: {
    name: !empty(keyVaultName) ? keyVaultName : '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    deployerPrincipalId: principalId
    secretsWriterName: '${abbrs.managedIdentityUserAssignedIdentities}secrets-${resourceToken}'
    reviewSigningKey: reviewSigningKey
    jiraWebhookSecret: jiraWebhookSecret
    standardWebhookSecret: standardWebhookSecret
    jiraApiToken: jiraApiToken
    servicenowPassword: servicenowPassword
    servicenowClientSecret: servicenowClientSecret
  }
}

module email 'modules/email.bicep' = {
  name: 'email-${resourceToken}'
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
  name: 'functionapp-${resourceToken}'
  scope: rg
  params: {
    name: appName
    planName: !empty(appServicePlanName) ? appServicePlanName : '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    identityTenantId: identity.outputs.tenantId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    queueName: queueNames[0]
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    reviewSigningKeyUri: keyVault.outputs.reviewSigningKeyUri
    jiraWebhookSecretUri: keyVault.outputs.jiraWebhookSecretUri
    standardWebhookSecretUri: keyVault.outputs.standardWebhookSecretUri
    jiraApiTokenUri: keyVault.outputs.jiraApiTokenUri
    servicenowPasswordUri: keyVault.outputs.servicenowPasswordUri
    servicenowClientSecretUri: keyVault.outputs.servicenowClientSecretUri
    acsEndpoint: email.outputs.endpoint
    emailFrom: email.outputs.senderAddress
    armEndpoint: armEndpoint
    authorityHost: authorityHost
    fallbackApprovers: fallbackApprovers
    defaultExpiryDays: defaultExpiryDays
    maxExpiryDays: maxExpiryDays
    defaultExemptionCategory: defaultExemptionCategory
    maxScopeLevel: maxScopeLevel
    coalesceWindowSeconds: coalesceWindowSeconds
    sweepScope: sweepScope
    sweepWarnDays: sweepWarnDays
    sweepDeleteExpiredAfterDays: sweepDeleteExpiredAfterDays
    sweepDefenderLagHours: sweepDefenderLagHours
    sweepDigestTo: sweepDigestTo
    ticketMappings: ticketMappings
    jiraBaseUrl: jiraBaseUrl
    jiraUserEmail: jiraUserEmail
    servicenowInstanceUrl: servicenowInstanceUrl
    servicenowUser: servicenowUser
    servicenowClientId: servicenowClientId
    teamsChannelMap: teamsChannelMap
    packageUri: packageUri
  }
  // Explicit, not only implied by outputs: these modules hold the identity's role assignments,
  // which must exist before the app's host starts or pulls its package.
  dependsOn: [
    storage
    keyVault
    monitoring
    email
  ]
}

module bot 'modules/bot.bicep' = {
  name: 'bot-${resourceToken}'
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

module subscriptionRoles 'modules/roles-subscription.bicep' = [for subscriptionId in roleSubscriptionIds: {
  name: 'roles-${subscriptionId}-${resourceToken}'
  scope: subscription(subscriptionId)
  params: {
    principalId: identity.outputs.principalId
    environmentToken: resourceToken
    grantExemptionRemoval: sweepDeleteExpiredAfterDays > 0
  }
}]

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output BOT_ID string = bot.outputs.appId
output BOT_NAME string = bot.outputs.name
output IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
