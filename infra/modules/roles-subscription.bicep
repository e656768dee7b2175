targetScope = 'subscription'

// What the app may do in a governed subscription, and nothing broader:
// Security Reader reads security contacts and assessments, and Defender's security standards,
// standard assignments and assessment metadata (its Microsoft.Security/*/read); Reader lets Resource
// Graph (the nightly sweep's policyresources, securityresources and resources queries too) and the
// policy assignment / set definition lookups see the subscription; a custom role holds exactly the
// exemption actions; another holds only the standard-assignment write that exempts a resource from
// a Defender-native recommendation; another holds only the Policy Insights evaluation trigger the
// sweep uses; and, only when the sweep deletes expired exemptions, two more hold only deleting
// exemptions of each kind. (Resource Policy Contributor, the narrowest built-in role that can write
// exemptions, could also change policy assignments and definitions.)
param principalId string
@description('Per-environment token: custom role names are unique in a tenant, and each environment keeps its own.')
param environmentToken string
@description('The sweep deletes expired exemptions (sweepDeleteExpiredAfterDays > 0): define and grant the exemption remover roles.')
param grantExemptionRemoval bool = false

var roleIds = {
  securityReader: '39bc4728-0917-49c7-9d2c-d95423bc2eb4'
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
}

// Read and create exemptions; exempt/action is checked on the assignment being exempted. Deleting is a
// separate role, granted only when the sweep may delete expired exemptions.
var policyExemptionWriterActions = [
  'Microsoft.Authorization/policyExemptions/read'
  'Microsoft.Authorization/policyExemptions/write'
  'Microsoft.Authorization/policyAssignments/exempt/action'
]
var policyExemptionWriterRoleId = guid(subscription().id, 'exemption-broker-policy-exemption-writer', environmentToken)

resource policyExemptionWriterRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: policyExemptionWriterRoleId
  properties: {
    roleName: 'Policy exemption writer (exemption-broker ${environmentToken})'
    description: 'Reads and creates Azure Policy exemptions; nothing else.'
    type: 'CustomRole'
    permissions: [
      {
        actions: policyExemptionWriterActions
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}

// Exempting a resource from a Defender-native recommendation (no policy behind it) is a
// Microsoft.Security/standardAssignments resource with effect Exempt at the resource, resource group
// or subscription. Microsoft documents Security Admin for this, but Security Admin is all of
// Microsoft.Security/* plus policy assignments, definitions and exemptions: it could also change
// security policies, pricing plans, auto-provisioning and security contacts, dismiss alerts and
// open just-in-time VM access. So the app gets only the write; Security Reader already reads
// standards, assignments and metadata. RBAC cannot tell an Exempt body from an Audit one (nor a
// new assignment from a change to an existing one): the app's write guard checks what it puts.
var defenderStandardExemptionWriterActions = [
  'Microsoft.Security/standardAssignments/write'
]
var defenderStandardExemptionWriterRoleId = guid(subscription().id, 'exemption-broker-defender-standard-exemption-writer', environmentToken)

resource defenderStandardExemptionWriterRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: defenderStandardExemptionWriterRoleId
  properties: {
    roleName: 'Defender standard exemption writer (exemption-broker ${environmentToken})'
    description: 'Creates Defender for Cloud standard assignments (the exemptions of Defender-native recommendations); nothing else.'
    type: 'CustomRole'
    permissions: [
      {
        actions: defenderStandardExemptionWriterActions
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}

// The sweep asks Policy Insights to re-evaluate a subscription before trusting its compliance states.
var policyEvaluationTriggerActions = [
  'Microsoft.PolicyInsights/policyStates/triggerEvaluation/action'
]
var policyEvaluationTriggerRoleId = guid(subscription().id, 'exemption-broker-policy-evaluation-trigger', environmentToken)

resource policyEvaluationTriggerRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: policyEvaluationTriggerRoleId
  properties: {
    roleName: 'Policy evaluation trigger (exemption-broker ${environmentToken})'
    description: 'Starts Azure Policy compliance evaluations; nothing else.'
    type: 'CustomRole'
    permissions: [
      {
        actions: policyEvaluationTriggerActions
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}

// Only when the sweep deletes managed exemptions some days after they expired.
var policyExemptionRemoverActions = [
  'Microsoft.Authorization/policyExemptions/delete'
  'Microsoft.Authorization/policyExemptions/read'
]
var policyExemptionRemoverRoleId = guid(subscription().id, 'exemption-broker-policy-exemption-remover', environmentToken)

resource policyExemptionRemoverRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (grantExemptionRemoval) {
  name: policyExemptionRemoverRoleId
  properties: {
    roleName: 'Policy exemption remover (exemption-broker ${environmentToken})'
    description: 'Reads and deletes Azure Policy exemptions; nothing else.'
    type: 'CustomRole'
    permissions: [
      {
        actions: policyExemptionRemoverActions
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}

// Only when the sweep deletes managed exemptions some days after they expired, for the Defender kind.
var defenderStandardExemptionRemoverActions = [
  'Microsoft.Security/standardAssignments/delete'
]
var defenderStandardExemptionRemoverRoleId = guid(subscription().id, 'exemption-broker-defender-standard-exemption-remover', environmentToken)

resource defenderStandardExemptionRemoverRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (grantExemptionRemoval) {
  name: defenderStandardExemptionRemoverRoleId
  properties: {
    roleName: 'Defender standard exemption remover (exemption-broker ${environmentToken})'
    description: 'Deletes Defender for Cloud standard assignments (the exemptions of Defender-native recommendations); nothing else.'
    type: 'CustomRole'
    permissions: [
      {
        actions: defenderStandardExemptionRemoverActions
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}

resource securityReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, roleIds.securityReader)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.securityReader)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource policyExemptionWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, policyExemptionWriterRoleId)
  properties: {
    roleDefinitionId: policyExemptionWriterRole.id
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

resource policyEvaluationTrigger 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, policyEvaluationTriggerRoleId)
  properties: {
    roleDefinitionId: policyEvaluationTriggerRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource policyExemptionRemover 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantExemptionRemoval) {
  name: guid(subscription().id, principalId, policyExemptionRemoverRoleId)
  properties: {
    roleDefinitionId: policyExemptionRemoverRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource defenderStandardExemptionWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, defenderStandardExemptionWriterRoleId)
  properties: {
    roleDefinitionId: defenderStandardExemptionWriterRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource defenderStandardExemptionRemover 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantExemptionRemoval) {
  name: guid(subscription().id, principalId, defenderStandardExemptionRemoverRoleId)
  properties: {
    roleDefinitionId: defenderStandardExemptionRemoverRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
