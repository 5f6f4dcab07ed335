// Key Vault (RBAC, purge protection) for the SMTP password and the evaluation pseudonym key; app settings
// reference them, so neither appears in configuration, and the pseudonym key is stored apart from the data
// it protects. The app's identity may read these two secrets and nothing else in the vault. Every access is
// audited to Log Analytics; with private networking the vault is reached through a private endpoint only.
param name string
param location string
param tags object
@secure()
param smtpPassword string
@secure()
param pseudonymKey string

@description('Principal id of the app\'s managed identity.')
param principalId string

param workspaceId string

@description('Subnet for the private endpoint; empty to leave the vault on its public endpoint.')
param privateEndpointSubnetId string = ''

param privateDnsZoneId string = ''

var privateNetworking = !empty(privateEndpointSubnetId)
var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault Secrets User

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: 90
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
  }
}

resource smtp 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'smtp-password'
  properties: { value: smtpPassword }
}

resource pseudonym 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'evaluation-pseudonym-key'
  properties: { value: pseudonymKey }
}

resource smtpAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(smtp.id, principalId, secretsUser)
  scope: smtp
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

resource pseudonymAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(pseudonym.id, principalId, secretsUser)
  scope: pseudonym
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

resource audit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    logs: [ { category: 'AuditEvent', enabled: true } ]
    metrics: [ { category: 'AllMetrics', enabled: true } ]
  }
}

module endpoint 'private-endpoint.bicep' = if (privateNetworking) {
  name: 'pe-${name}'
  params: {
    name: 'pe-${name}'
    location: location
    tags: tags
    subnetId: privateEndpointSubnetId
    targetId: vault.id
    groupId: 'vault'
    privateDnsZoneId: privateDnsZoneId
  }
}

output name string = vault.name
output smtpVaultReference string = smtp.properties.secretUri
output pseudonymKeyVaultReference string = pseudonym.properties.secretUri
