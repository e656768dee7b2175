targetScope = 'subscription'

// What the app may do in a governed subscription, and nothing broader:
// Security Reader reads security contacts and assessments; Resource Policy Contributor writes
// policy exemptions and holds policyAssignments/exempt/action; Reader lets Resource Graph and
// the policy assignment / set definition lookups see the subscription.
param principalId string

var roleIds = {
  securityReader: '39bc4728-0917-49c7-9d2c-d95423bc2eb4'
  resourcePolicyContributor: '36243c78-bf99-498c-9df9-86d9f8d28608'
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
}

resource securityReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, roleIds.securityReader)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.securityReader)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource resourcePolicyContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, roleIds.resourcePolicyContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.resourcePolicyContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, roleIds.reader)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.reader)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
