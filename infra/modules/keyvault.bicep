// Key Vault in RBAC mode holding the app's secrets. The app reads them through Key Vault
// references (Key Vault Secrets User); the optional deployer principal may rotate them.
param name string
param location string
param tags object = {}
param principalId string
@description('Object id of a person or pipeline allowed to read and rotate the secrets; empty for none.')
param deployerPrincipalId string = ''
@secure()
param reviewSigningKey string
@secure()
param jiraWebhookSecret string
@secure()
param standardWebhookSecret string
@secure()
param secretSeed string

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

resource reviewSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'review-signing-key'
  properties: {
    value: reviewSigningKey
  }
}

resource jiraWebhookSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'webhook-secret-jira'
  properties: {
    value: jiraWebhookSecret
  }
}

resource standardWebhookSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'webhook-secret-standard'
  properties: {
    value: standardWebhookSecret
  }
}

// Kept so that `azd provision` can read it back and derive the same secrets on the next run.
resource secretSeedSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'secret-seed'
  properties: {
    value: secretSeed
  }
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

output name string = vault.name
output reviewSigningKeyUri string = reviewSigningKeySecret.properties.secretUri
output jiraWebhookSecretUri string = jiraWebhookSecretSecret.properties.secretUri
output standardWebhookSecretUri string = standardWebhookSecretSecret.properties.secretUri
