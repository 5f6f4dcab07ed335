// Key Vault (RBAC, purge protection) for the SMTP password and the evaluation pseudonym key; app settings reference them, so
// neither appears in configuration, and the pseudonym key is stored apart from the data it protects.
param name string
param location string
param tags object
@secure()
param smtpPassword string
@secure()
param pseudonymKey string

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

output name string = vault.name
output smtpVaultReference string = smtp.properties.secretUri
output pseudonymKeyVaultReference string = pseudonym.properties.secretUri
