// Key Vault in RBAC mode holding the app's secrets. The app reads them through Key Vault
// references (Key Vault Secrets User); the optional deployer principal may rotate them.
// Generated secrets are created by a deployment script only when the vault lacks them, so a
// redeploy keeps them (an ARM template cannot ask whether a secret exists); a secret passed as a
// parameter is written on purpose and so replaces the current one.
param name string
param location string
param tags object = {}
param principalId string
@description('Object id of a person or pipeline allowed to read and rotate the secrets; empty for none.')
param deployerPrincipalId string = ''
@description('Identity the secret-creating deployment script runs as; it may write this vault\'s secrets only.')
param secretsWriterName string
@secure()
@description('Review-link signing key to set; empty to keep the current one, or generate one when absent.')
param reviewSigningKey string = ''
@secure()
param jiraWebhookSecret string = ''
@secure()
param standardWebhookSecret string = ''
@secure()
param jiraApiToken string = ''
@secure()
param servicenowPassword string = ''
@secure()
param servicenowClientSecret string = ''
@description('Changes on every deployment so that the script runs each time (it is idempotent).')
param scriptRunTag string = utcNow()

var roleIds = {
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    publicNetworkAccess: 'Enabled'
  }
}

resource reviewSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(reviewSigningKey)) {
  parent: vault
  name: 'review-signing-key'
  properties: {
    value: reviewSigningKey
  }
}

resource jiraWebhookSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(jiraWebhookSecret)) {
  parent: vault
  name: 'webhook-secret-jira'
  properties: {
    value: jiraWebhookSecret
  }
}

resource standardWebhookSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(standardWebhookSecret)) {
  parent: vault
  name: 'webhook-secret-standard'
  properties: {
    value: standardWebhookSecret
  }
}

resource jiraApiTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(jiraApiToken)) {
  parent: vault
  name: 'jira-api-token'
  properties: {
    value: jiraApiToken
  }
}

resource servicenowPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(servicenowPassword)) {
  parent: vault
  name: 'servicenow-password'
  properties: {
    value: servicenowPassword
  }
}

resource servicenowClientSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(servicenowClientSecret)) {
  parent: vault
  name: 'servicenow-client-secret'
  properties: {
    value: servicenowClientSecret
  }
}

resource secretsWriter 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: secretsWriterName
  location: location
  tags: tags
}

resource writerSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, secretsWriter.id, roleIds.keyVaultSecretsOfficer)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsOfficer)
    principalId: secretsWriter.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Creates only what is missing; it waits for its own role assignment to take effect.
resource ensureSecrets 'Microsoft.Resources/deploymentScripts@2023-08-01' = {
  name: 'ensure-secrets-${name}'
  location: location
  tags: tags
  kind: 'AzureCLI'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${secretsWriter.id}': {}
    }
  }
  properties: {
    azCliVersion: '2.63.0'
    scriptContent: loadTextContent('../scripts/ensure-secrets.sh')
    environmentVariables: [
      {
        name: 'VAULT_NAME'
        value: vault.name
      }
    ]
    forceUpdateTag: scriptRunTag
    timeout: 'PT20M'
    retentionInterval: 'PT1H'
    cleanupPreference: 'OnSuccess'
  }
  dependsOn: [
    writerSecretsOfficer
    reviewSigningKeySecret
    jiraWebhookSecretSecret
    standardWebhookSecretSecret
    jiraApiTokenSecret
    servicenowPasswordSecret
    servicenowClientSecretSecret
  ]
}

resource appSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, principalId, roleIds.keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource deployerSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  scope: vault
  name: guid(vault.id, deployerPrincipalId, roleIds.keyVaultSecretsOfficer)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsOfficer)
    principalId: deployerPrincipalId
  }
}

// Versionless references follow the latest version, so a rotation needs no redeploy. Outputs
// are read only after the whole module (the script included) has finished.
output name string = vault.name
output reviewSigningKeyUri string = '${vault.properties.vaultUri}secrets/review-signing-key'
output jiraWebhookSecretUri string = '${vault.properties.vaultUri}secrets/webhook-secret-jira'
output standardWebhookSecretUri string = '${vault.properties.vaultUri}secrets/webhook-secret-standard'
output jiraApiTokenUri string = '${vault.properties.vaultUri}secrets/jira-api-token'
output servicenowPasswordUri string = '${vault.properties.vaultUri}secrets/servicenow-password'
output servicenowClientSecretUri string = '${vault.properties.vaultUri}secrets/servicenow-client-secret'
