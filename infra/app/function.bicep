// The Function App on the Flex Consumption plan: .NET 10 isolated, the user-assigned identity for
// everything (deployment package and host storage in the host account, Grants' records in the data
// account, evidence in the evidence account, Key Vault references, telemetry), and the app settings the
// code reads (tests/Grants.Deployment.Tests checks both directions). HTTPS only, TLS 1.2, no FTP and no
// basic publishing credentials; with Front Door, only requests through that profile reach the app.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param hostStorageName string
param deploymentContainerName string
param dataStorageName string
param evidenceStorageName string
param applicationInsightsConnectionString string
param workspaceId string
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

@description('Address the app is reached at (Front Door\'s endpoint when there is one); links in mail start with it.')
param publicBaseUrl string

@description('The publisher of the open data (docs/open-data.md): its 360Giving prefix (360G-…), the funder\'s org-id and name. Empty: the development publisher, so that nothing passes for a ministry\'s data unless set.')
param openDataGrantIdPrefix string = ''
param openDataFunderOrgId string = ''
param openDataFunderName string = ''

@description('Subnet delegated to Microsoft.App/environments for VNet integration; empty for none.')
param virtualNetworkSubnetId string = ''

@description('Admit only requests through the Front Door profile frontDoorId; otherwise every client.')
param frontDoor bool = false

@description('The Front Door profile\'s id, which it sends in the X-Azure-FDID header.')
param frontDoorId string = ''

@description('Largest number of instances Flex Consumption may scale out to.')
param maximumInstanceCount int = 100

var storageSuffix = environment().suffixes.storage
var hostBlobUri = 'https://${hostStorageName}.blob.${storageSuffix}/'

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

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
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostBlobUri}${deploymentContainerName}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: maximumInstanceCount, instanceMemoryMB: 2048 }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Front Door sends its profile id in X-Azure-FDID; the service tag alone would admit any profile.
      ipSecurityRestrictionsDefaultAction: frontDoor ? 'Deny' : 'Allow'
      ipSecurityRestrictions: !frontDoor
        ? []
        : [
            {
              name: 'front-door'
              priority: 100
              action: 'Allow'
              tag: 'ServiceTag'
              ipAddress: 'AzureFrontDoor.Backend'
              headers: { 'x-azure-fdid': [ frontDoorId ] }
            }
          ]
      // Deployments (azd deploy) go to the SCM site with an Entra ID token; it keeps its own rules.
      scmIpSecurityRestrictionsUseMain: false
      appSettings: concat([
        // The Functions host's own storage (triggers, timers' leases), by identity, in the host account.
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: hostBlobUri }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: 'https://${hostStorageName}.queue.${storageSuffix}/' }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: 'https://${hostStorageName}.table.${storageSuffix}/' }
        // Grants' records, attachments, pools and decision letters, by identity, in the data account.
        { name: 'GrantsStorage__credential', value: 'managedidentity' }
        { name: 'GrantsStorage__clientId', value: identityClientId }
        { name: 'GrantsStorage__blobServiceUri', value: 'https://${dataStorageName}.blob.${storageSuffix}/' }
        { name: 'GrantsStorage__tableServiceUri', value: 'https://${dataStorageName}.table.${storageSuffix}/' }
        // Write-once evidence (protocols, announcements, audit exports), by identity, in the evidence account.
        { name: 'GrantsEvidence__credential', value: 'managedidentity' }
        { name: 'GrantsEvidence__clientId', value: identityClientId }
        { name: 'GrantsEvidence__blobServiceUri', value: 'https://${evidenceStorageName}.blob.${storageSuffix}/' }
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
        // Links in mail (the follow-up questionnaire) point at the app's public address.
        { name: 'FollowUp__PublicBaseUrl', value: publicBaseUrl }
        // So do the links in the open data (protocols, the extension, where to apply), never the Host a request named:
        // behind Front Door that is the origin, which admits only Front Door.
        { name: 'OpenData__PublicBaseUrl', value: publicBaseUrl }
      ],
        // The open data's publisher, where the environment names one.
        empty(openDataGrantIdPrefix) ? [] : [ { name: 'OpenData__GrantIdPrefix', value: openDataGrantIdPrefix } ],
        empty(openDataFunderOrgId) ? [] : [ { name: 'OpenData__FunderOrgId', value: openDataFunderOrgId } ],
        empty(openDataFunderName) ? [] : [ { name: 'OpenData__FunderName', value: openDataFunderName } ])
    }
  }
}

// Publishing takes an Entra ID token; user names and passwords for FTP and the SCM site are refused.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

resource logs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: app
  properties: {
    workspaceId: workspaceId
    logs: [ { category: 'FunctionAppLogs', enabled: true } ]
    metrics: [ { category: 'AllMetrics', enabled: true } ]
  }
}

output name string = app.name
