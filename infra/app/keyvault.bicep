// Key Vault (RBAC, purge protection) for the SMTP password; app settings reference it, so the secret never appears in configuration.
param name string
param location string
param tags object
@secure()
param smtpPassword string

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

output name string = vault.name
output smtpVaultReference string = smtp.properties.secretUri
