// Grants in Azure: one Function App (Flex Consumption, .NET 10 isolated) on a storage account reached
// by managed identity only, with Application Insights, Key Vault for secrets and write-once evidence
// containers. Deployed with `azd up` (see docs/deploy.md). Modules are local: the public Bicep
// registry is not used.
targetScope = 'subscription'

@minLength(1)
@maxLength(32)
@description('Name of the environment (azd env name), part of every resource name.')
param environmentName string

@minLength(1)
@description('Azure region for all resources (one that offers Flex Consumption).')
param location string

@description('SMTP server for outgoing mail.')
param smtpHost string

@description('SMTP port (587 with STARTTLS).')
param smtpPort int = 587

@description('SMTP user name; empty for none.')
param smtpUserName string = ''

@secure()
@description('SMTP password, stored in Key Vault.')
param smtpPassword string = ''

@secure()
@minLength(44)
@description('Key of the evaluation export pseudonyms: base64 of 32 random bytes, stored in Key Vault. Set it once and keep it: a new key gives every unit a new id.')
param pseudonymKey string

@description('Sender address of all mail.')
param mailFrom string

@description('The programme team\'s mailbox for notices.')
param ministryMailbox string

@description('OIDC authority for ministry staff: the Entra ID tenant\'s v2.0 issuer, https://login.microsoftonline.com/{tenant}/v2.0.')
param staffAuthority string

@description('Audience of staff tokens: the application (client) id of the app registration, which Entra ID v2.0 access tokens carry in aud.')
param staffAudience string

@description('OIDC authority of the eHerkenning/OIDC broker for organisations.')
param organisationAuthority string

@description('Audience of organisation tokens: the client id registered with the broker.')
param organisationAudience string

@description('Days lottery protocols and audit exports stay immutable (write-once).')
param evidenceRetentionDays int = 3650

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: resourceGroup
  params: { name: 'id-grants-${token}', location: location, tags: tags }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: { logAnalyticsName: 'log-grants-${token}', applicationInsightsName: 'appi-grants-${token}', location: location, tags: tags }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: { name: 'stgrants${token}', location: location, tags: tags, evidenceRetentionDays: evidenceRetentionDays }
}

module vault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: resourceGroup
  params: { name: 'kv-grants-${take(token, 13)}', location: location, tags: tags, smtpPassword: smtpPassword, pseudonymKey: pseudonymKey }
}

module roles 'app/roles.bicep' = {
  name: 'roles'
  scope: resourceGroup
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: vault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module api 'app/function.bicep' = {
  name: 'api'
  scope: resourceGroup
  dependsOn: [roles]
  params: {
    name: 'func-grants-${token}'
    planName: 'plan-grants-${token}'
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    smtpHost: smtpHost
    smtpPort: smtpPort
    smtpUserName: smtpUserName
    smtpVaultReference: vault.outputs.smtpVaultReference
    pseudonymKeyVaultReference: vault.outputs.pseudonymKeyVaultReference
    mailFrom: mailFrom
    ministryMailbox: ministryMailbox
    staffAuthority: staffAuthority
    staffAudience: staffAudience
    organisationAuthority: organisationAuthority
    organisationAudience: organisationAudience
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output API_BASE_URL string = api.outputs.baseUrl
