// The Function App on the Flex Consumption plan: .NET 10 isolated, the user-assigned identity for
// everything (deployment package, host storage, app storage, Key Vault references, telemetry), and the
// app settings the code reads (tests/Grants.Deployment.Tests checks both directions).
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsConnectionString string
param smtpHost string
param smtpPort int
param smtpUserName string
param smtpVaultReference string
param pseudonymKeyVaultReference string
param mailFrom string
param ministryMailbox string
param staffAuthority string
param staffAudience string
param organisationAuthority string
param organisationAudience string

@description('Largest number of instances Flex Consumption may scale out to.')
param maximumInstanceCount int = 100

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

var blobUri = account.properties.primaryEndpoints.blob
var tableUri = account.properties.primaryEndpoints.table
var queueUri = account.properties.primaryEndpoints.queue

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobUri}${deploymentContainerName}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: maximumInstanceCount, instanceMemoryMB: 2048 }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // The Functions host's own storage (triggers, timers' leases), by identity.
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: blobUri }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: queueUri }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: tableUri }
        // Grants' records, attachments, protocols and ledgers, by identity.
        { name: 'GrantsStorage__credential', value: 'managedidentity' }
        { name: 'GrantsStorage__clientId', value: identityClientId }
        { name: 'GrantsStorage__blobServiceUri', value: blobUri }
        { name: 'GrantsStorage__tableServiceUri', value: tableUri }
        // Telemetry, authenticated with the identity.
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        // Bearer tokens: ministry staff from Entra ID (audience: the app registration's client id), organisations
        // from the eHerkenning/OIDC broker (audience: the client id registered with the broker).
        { name: 'Auth__Staff__Authority', value: staffAuthority }
        { name: 'Auth__Staff__Audience', value: staffAudience }
        { name: 'Auth__Organisations__Authority', value: organisationAuthority }
        { name: 'Auth__Organisations__Audience', value: organisationAudience }
        // Mail through SMTP; the password from Key Vault.
        { name: 'Mail__Smtp__Host', value: smtpHost }
        { name: 'Mail__Smtp__Port', value: string(smtpPort) }
        { name: 'Mail__Smtp__Security', value: 'StartTls' }
        { name: 'Mail__Smtp__UserName', value: smtpUserName }
        { name: 'Mail__Smtp__Password', value: '@Microsoft.KeyVault(SecretUri=${smtpVaultReference})' }
        { name: 'Mail__From', value: mailFrom }
        { name: 'Mail__MinistryMailbox', value: ministryMailbox }
        // Evaluation exports name units by a keyed pseudonym; the key lives in Key Vault, apart from the data.
        { name: 'Evaluation__PseudonymKey', value: '@Microsoft.KeyVault(SecretUri=${pseudonymKeyVaultReference})' }
        // Links in mail (the follow-up questionnaire) point at this app.
        { name: 'FollowUp__PublicBaseUrl', value: 'https://${name}.azurewebsites.net' }
      ]
    }
  }
}

output name string = app.name
output baseUrl string = 'https://${app.properties.defaultHostName}'
