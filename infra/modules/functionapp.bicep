// Flex Consumption (FC1) plan + the function app on Node 22. Everything the app reads is set
// here (the contract is lib/config/settings-catalog.ts); secrets are Key Vault references
// resolved with the user-assigned identity. Local-run settings (connection strings, client
// secrets, SMTP credentials) are deliberately absent.
// Order: main.bicep starts this module only after the modules holding the identity's role
// assignments; here a deployment script waits until those assignments take effect, and only
// then is the app created (its host starts) and the package pulled.
param name string
param planName string
param location string
param tags object = {}
param identityId string
param identityClientId string
param identityTenantId string
param storageAccountName string
param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string
param deploymentContainerName string
@description('A queue the app uses; the role wait checks the identity can read it.')
param queueName string
param applicationInsightsConnectionString string
param reviewSigningKeyUri string
param jiraWebhookSecretUri string
param standardWebhookSecretUri string
param jiraApiTokenUri string
param servicenowPasswordUri string
param servicenowClientSecretUri string
param acsEndpoint string
param emailFrom string
param armEndpoint string
param authorityHost string
param fallbackApprovers string
param defaultExpiryDays int
param maxExpiryDays int
param defaultExemptionCategory string
param sweepScope string
param sweepWarnDays string
@description('0: the sweep never deletes, and the setting is left empty.')
param sweepDeleteExpiredAfterDays int
param sweepDefenderLagHours int
param coalesceWindowSeconds int
param sweepDigestTo string
param ticketMappings string
param jiraBaseUrl string
param jiraUserEmail string
param servicenowInstanceUrl string
param servicenowUser string
param servicenowClientId string
param teamsChannelMap string
@description('Public zip of the built app (npm run package); empty when azd deploys the code.')
param packageUri string
@description('Changes on every deployment so that the role wait runs each time.')
param scriptRunTag string = utcNow()

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

// Runs as the app's identity and only reads: proof that its role assignments have spread.
resource rolesReady 'Microsoft.Resources/deploymentScripts@2023-08-01' = {
  name: 'roles-ready-${name}'
  location: location
  tags: tags
  kind: 'AzureCLI'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    azCliVersion: '2.63.0'
    scriptContent: loadTextContent('../scripts/wait-for-roles.sh')
    environmentVariables: [
      {
        name: 'STORAGE_ACCOUNT'
        value: storageAccountName
      }
      {
        name: 'CONTAINER'
        value: deploymentContainerName
      }
      {
        name: 'QUEUE'
        value: queueName
      }
      {
        name: 'SECRET_URI'
        value: reviewSigningKeyUri
      }
    ]
    forceUpdateTag: scriptRunTag
    timeout: 'PT20M'
    retentionInterval: 'PT1H'
    cleanupPreference: 'OnSuccess'
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  // azd finds the app to deploy to by this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Without a system-assigned identity, Key Vault references must name the identity to use.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: 40
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
  dependsOn: [
    rolesReady
  ]
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
    AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
    AzureWebJobsStorage__tableServiceUri: storageTableEndpoint
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    AZURE_CLIENT_ID: identityClientId
    ARM_ENDPOINT: armEndpoint
    AZURE_AUTHORITY_HOST: authorityHost
    PUBLIC_BASE_URL: 'https://${site.properties.defaultHostName}'
    REVIEW_SIGNING_KEY: '@Microsoft.KeyVault(SecretUri=${reviewSigningKeyUri})'
    FALLBACK_APPROVERS: fallbackApprovers
    EMAIL_TRANSPORT: 'acs'
    EMAIL_FROM: emailFrom
    ACS_ENDPOINT: acsEndpoint
    DEFAULT_EXPIRY_DAYS: string(defaultExpiryDays)
    MAX_EXPIRY_DAYS: string(maxExpiryDays)
    DEFAULT_EXEMPTION_CATEGORY: defaultExemptionCategory
    // The host itself reads the schedule (%REQUEUE_STUCK_SCHEDULE%), so it is set even at its default.
    REQUEUE_STUCK_SCHEDULE: '0 */5 * * * *'
    REQUEUE_STUCK_AFTER_MINUTES: '15'
    COALESCE_WINDOW_SECONDS: string(coalesceWindowSeconds)
    // Likewise %SWEEP_SCHEDULE%: 02:00 UTC every night.
    SWEEP_SCHEDULE: '0 0 2 * * *'
    // Read by Node itself. The sweep keeps under 1 KB per exemption (about 140 MB live at 100,000);
    // without a cap V8 lets garbage grow the heap past 600 MB before it collects. 320 MB leaves room
    // for about 300,000 exemptions; raise it for a larger estate (docs/deploy.md, "Nightly sweep").
    NODE_OPTIONS: '--max-old-space-size=320'
    SWEEP_SCOPE: sweepScope
    SWEEP_WARN_DAYS: sweepWarnDays
    // Empty is unset for the app: deletion off.
    SWEEP_DELETE_EXPIRED_AFTER_DAYS: sweepDeleteExpiredAfterDays > 0 ? string(sweepDeleteExpiredAfterDays) : ''
    SWEEP_DEFENDER_LAG_HOURS: string(sweepDefenderLagHours)
    SWEEP_DIGEST_TO: sweepDigestTo
    TICKET_MAPPINGS: ticketMappings
    JIRA_BASE_URL: jiraBaseUrl
    JIRA_USER_EMAIL: jiraUserEmail
    SERVICENOW_INSTANCE_URL: servicenowInstanceUrl
    SERVICENOW_USER: servicenowUser
    SERVICENOW_CLIENT_ID: servicenowClientId
    WEBHOOK_SECRET_JIRA: '@Microsoft.KeyVault(SecretUri=${jiraWebhookSecretUri})'
    WEBHOOK_SECRET_STANDARD: '@Microsoft.KeyVault(SecretUri=${standardWebhookSecretUri})'
    JIRA_API_TOKEN: '@Microsoft.KeyVault(SecretUri=${jiraApiTokenUri})'
    SERVICENOW_PASSWORD: '@Microsoft.KeyVault(SecretUri=${servicenowPasswordUri})'
    SERVICENOW_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${servicenowClientSecretUri})'
    BOT_APP_ID: identityClientId
    BOT_TENANT_ID: identityTenantId
    TEAMS_CHANNEL_MAP: teamsChannelMap
  }
}

// The Deploy to Azure path: pull the released zip so one click ends with running code.
resource packageDeploy 'Microsoft.Web/sites/extensions@2024-04-01' = if (!empty(packageUri)) {
  parent: site
  name: 'onedeploy'
  properties: {
    packageUri: packageUri
    remoteBuild: false
  }
  dependsOn: [
    appSettings
  ]
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
