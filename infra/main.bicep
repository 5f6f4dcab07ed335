// Grants in Azure: one Function App (Flex Consumption, .NET 10 isolated) reaching three storage accounts by
// managed identity only — the Functions host's own, Grants' records, and write-once evidence under a
// locked policy — with Application Insights, Key Vault for secrets, resource logs in Log Analytics, and
// optionally private networking and Front Door with rate limits. Deployed with `azd up` (see
// docs/deploy.md). Modules are local: the public Bicep registry is not used.
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

@description('The open data\'s publisher: its 360Giving prefix (360G-…), the funder\'s org-id (e.g. NL-OIN-…) and name; empty for the development publisher.')
param openDataGrantIdPrefix string = ''
param openDataFunderOrgId string = ''
param openDataFunderName string = ''

@description('OIDC authority for ministry staff: the Entra ID tenant\'s v2.0 issuer, https://login.microsoftonline.com/{tenant}/v2.0.')
param staffAuthority string

@description('Audience of staff tokens: the application (client) id of the app registration, which Entra ID v2.0 access tokens carry in aud.')
param staffAudience string

@description('OIDC authority of the eHerkenning/OIDC broker for organisations.')
param organisationAuthority string

@description('Audience of organisation tokens: the client id registered with the broker.')
param organisationAudience string

@minValue(1)
@maxValue(146000)
@description('Days every lottery protocol, announcement and audit export stays write-once. Once locked the period can be lengthened but never shortened.')
param evidenceRetentionDays int = 3650

@description('Whether the evidence account\'s default immutability policy is already locked: azd sets it from the previous provision\'s output (docs/decisions/0012).')
param evidencePolicyLocked bool = false

@description('Private endpoints for storage and Key Vault, public network access off, and the app\'s outbound traffic through a virtual network.')
param privateNetworking bool = false

@description('Azure Front Door (Standard) with WAF rate limits in front of the app, which then admits requests through it only.')
param frontDoor bool = false

@description('With Front Door: requests per minute one client IP address may make to GET /api/rounds/{id}/lottery/verify.')
param verificationRequestsPerMinute int = 10

@description('With Front Door: requests per minute one client IP address may make to the other anonymous routes.')
param anonymousRequestsPerMinute int = 60

@description('With Front Door: requests per minute one client IP address may make in all.')
param requestsPerMinute int = 600

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))
var appName = 'func-grants-${token}'

// The tables and containers the code uses (Platform/Storage/TableNames.cs, DecisionDocuments.Container and
// the evidence export); the app's identity gets a role on each of these and on nothing else of the account.
var dataTables = [ 'aggregates', 'ledgers', 'lookups', 'members', 'operations', 'idempotency' ]
var dataContainers = [ 'attachments', 'pools', 'decisions' ]
var evidenceContainers = [ 'protocols', 'announcements', 'audit-exports' ]

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
  params: {
    logAnalyticsName: 'log-grants-${token}'
    applicationInsightsName: 'appi-grants-${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module network 'app/network.bicep' = if (privateNetworking) {
  name: 'network'
  scope: resourceGroup
  params: { name: 'vnet-grants-${token}', location: location, tags: tags }
}

module hostStorage 'app/storage.bicep' = {
  name: 'host-storage'
  scope: resourceGroup
  params: {
    name: 'sthost${token}'
    location: location
    tags: tags
    containers: [ 'deployment-package' ]
    functionsHost: true
    principalId: identity.outputs.principalId
    workspaceId: monitoring.outputs.workspaceId
    privateEndpointSubnetId: privateNetworking ? network!.outputs.privateEndpointSubnetId : ''
    privateDnsZoneIds: privateNetworking ? network!.outputs.storageDnsZoneIds : {}
  }
}

module dataStorage 'app/storage.bicep' = {
  name: 'data-storage'
  scope: resourceGroup
  params: {
    name: 'stgrants${token}'
    location: location
    tags: tags
    containers: dataContainers
    tables: dataTables
    principalId: identity.outputs.principalId
    workspaceId: monitoring.outputs.workspaceId
    deleteLock: true
    expirePreviousVersionsUnder: [ 'attachments/', 'decisions/' ]
    privateEndpointSubnetId: privateNetworking ? network!.outputs.privateEndpointSubnetId : ''
    privateDnsZoneIds: privateNetworking ? network!.outputs.storageDnsZoneIds : {}
  }
}

module evidenceStorage 'app/storage.bicep' = {
  name: 'evidence-storage'
  scope: resourceGroup
  params: {
    name: 'stevidence${token}'
    location: location
    tags: tags
    containers: evidenceContainers
    principalId: identity.outputs.principalId
    workspaceId: monitoring.outputs.workspaceId
    deleteLock: true
    immutabilityDays: evidenceRetentionDays
    immutabilityLocked: evidencePolicyLocked
    privateEndpointSubnetId: privateNetworking ? network!.outputs.privateEndpointSubnetId : ''
    privateDnsZoneIds: privateNetworking ? network!.outputs.storageDnsZoneIds : {}
  }
}

module vault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: resourceGroup
  params: {
    name: 'kv-grants-${take(token, 13)}'
    location: location
    tags: tags
    smtpPassword: smtpPassword
    pseudonymKey: pseudonymKey
    principalId: identity.outputs.principalId
    workspaceId: monitoring.outputs.workspaceId
    privateEndpointSubnetId: privateNetworking ? network!.outputs.privateEndpointSubnetId : ''
    privateDnsZoneId: privateNetworking ? network!.outputs.vaultDnsZoneId : ''
  }
}

module edge 'app/frontdoor.bicep' = if (frontDoor) {
  name: 'front-door'
  scope: resourceGroup
  params: {
    name: 'afd-grants-${token}'
    tags: tags
    appHostName: '${appName}.azurewebsites.net'
    workspaceId: monitoring.outputs.workspaceId
    verificationRequestsPerMinute: verificationRequestsPerMinute
    anonymousRequestsPerMinute: anonymousRequestsPerMinute
    requestsPerMinute: requestsPerMinute
  }
}

var publicBaseUrl = frontDoor ? 'https://${edge!.outputs.hostName}' : 'https://${appName}.azurewebsites.net'

module api 'app/function.bicep' = {
  name: 'api'
  scope: resourceGroup
  params: {
    name: appName
    planName: 'plan-grants-${token}'
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostStorageName: hostStorage.outputs.name
    deploymentContainerName: 'deployment-package'
    dataStorageName: dataStorage.outputs.name
    evidenceStorageName: evidenceStorage.outputs.name
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    workspaceId: monitoring.outputs.workspaceId
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
    publicBaseUrl: publicBaseUrl
    openDataGrantIdPrefix: openDataGrantIdPrefix
    openDataFunderOrgId: openDataFunderOrgId
    openDataFunderName: openDataFunderName
    virtualNetworkSubnetId: privateNetworking ? network!.outputs.appSubnetId : ''
    frontDoor: frontDoor
    frontDoorId: frontDoor ? edge!.outputs.frontDoorId : ''
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output API_BASE_URL string = publicBaseUrl
// Read back as evidencePolicyLocked by the next provision (infra/main.parameters.json).
output GRANTS_EVIDENCE_POLICY_LOCKED bool = true
