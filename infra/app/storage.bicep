// A storage account with the containers and tables provisioned here, so the app's identity needs rights
// on those alone: Storage Blob Data Contributor on each container and Storage Table Data Contributor on
// each table. Only the Functions host's own account grants account-wide roles, which the host needs for
// its leases, its queues and the deployment package. Every service logs reads, writes and deletes to Log
// Analytics; with private networking each service is reached through a private endpoint only.
param name string
param location string
param tags object

@description('Containers in this account; the app\'s identity gets Storage Blob Data Contributor on each.')
param containers array

@description('Tables in this account; the app\'s identity gets Storage Table Data Contributor on each.')
param tables array = []

@description('The Functions host\'s own account: blob, queue and table roles for the whole account, no versioning.')
param functionsHost bool = false

@description('Principal id of the app\'s managed identity.')
param principalId string

param workspaceId string

@description('Put a CanNotDelete lock on the account.')
param deleteLock bool = false

@description('Blob name prefixes whose previous versions are deleted 30 days after they were replaced or deleted.')
param expirePreviousVersionsUnder array = []

@description('Days every blob version stays write-once; 0 for none.')
param immutabilityDays int = 0

@description('Whether the account\'s default immutability policy is already locked (a locked policy cannot be declared unlocked again).')
param immutabilityLocked bool = false

@description('Subnet for private endpoints; empty to leave the account on its public endpoint.')
param privateEndpointSubnetId string = ''

@description('Private DNS zone ids by service (blob, table, queue).')
param privateDnsZoneIds object = {}

var privateNetworking = !empty(privateEndpointSubnetId)
var usesTables = functionsHost || !empty(tables)
var services = functionsHost ? [ 'blob', 'table', 'queue' ] : usesTables ? [ 'blob', 'table' ] : [ 'blob' ]
var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}
var storageLogs = [
  { category: 'StorageRead', enabled: true }
  { category: 'StorageWrite', enabled: true }
  { category: 'StorageDelete', enabled: true }
]
var storageMetrics = [ { category: 'Transaction', enabled: true } ]

module created 'storage-account.bicep' = {
  name: '${name}-account'
  params: {
    name: name
    location: location
    tags: tags
    privateNetworking: privateNetworking
    immutabilityDays: immutabilityDays
    immutabilityState: immutabilityLocked ? 'Locked' : 'Unlocked'
  }
}

// The first provision creates the default policy unlocked and locks it at once; from then on the policy
// can only be lengthened, and main.bicep declares it locked (docs/decisions/0012).
module locked 'storage-account.bicep' = if (immutabilityDays > 0 && !immutabilityLocked) {
  name: '${name}-lock-immutability'
  params: {
    name: name
    location: location
    tags: tags
    privateNetworking: privateNetworking
    immutabilityDays: immutabilityDays
    immutabilityState: 'Locked'
  }
  dependsOn: [ created ]
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: name
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: true, days: functionsHost ? 7 : 30 }
    containerDeleteRetentionPolicy: { enabled: true, days: functionsHost ? 7 : 30 }
    // The host rewrites its timer status blobs all day; versions of them would only cost.
    isVersioningEnabled: !functionsHost
  }
  dependsOn: [ created, locked ]
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in containers: {
  parent: blobs
  name: container
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = if (usesTables) {
  parent: account
  name: 'default'
  dependsOn: [ created ]
}

resource tableResources 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for table in tables: {
  parent: tableService
  name: table
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = if (functionsHost) {
  parent: account
  name: 'default'
  dependsOn: [ created ]
}

// With versioning on, a deleted blob lives on as a previous version; under these prefixes previous
// versions are deleted once 30 days old (soft delete then keeps them 30 days more), so a deletion that
// retention makes takes effect (docs/decisions/0008).
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = if (!empty(expirePreviousVersionsUnder)) {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-previous-versions-of-personal-documents'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: [ 'blockBlob' ], prefixMatch: expirePreviousVersionsUnder }
            actions: { version: { delete: { daysAfterCreationGreaterThan: 30 } } }
          }
        }
      ]
    }
  }
  dependsOn: [ blobs ]
}

resource containerAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (container, i) in containers: if (!functionsHost) {
  name: guid(blobContainers[i].id, principalId, roles.blobDataContributor)
  scope: blobContainers[i]
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataContributor)
  }
}]

resource tableAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (table, i) in tables: if (!functionsHost) {
  name: guid(tableResources[i].id, principalId, roles.tableDataContributor)
  scope: tableResources[i]
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.tableDataContributor)
  }
}]

resource hostAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [ roles.blobDataOwner, roles.queueDataContributor, roles.tableDataContributor ]: if (functionsHost) {
  name: guid(account.id, principalId, role)
  scope: account
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
  dependsOn: [ created ]
}]

resource deletion 'Microsoft.Authorization/locks@2020-05-01' = if (deleteLock) {
  name: 'do-not-delete'
  scope: account
  properties: {
    level: 'CanNotDelete'
    notes: 'Holds Grants\' records or evidence; remove only to retire the programme (docs/deploy.md).'
  }
  dependsOn: [ created ]
}

resource blobLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobs
  properties: { workspaceId: workspaceId, logs: storageLogs, metrics: storageMetrics }
}

resource tableLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (usesTables) {
  name: 'to-log-analytics'
  scope: tableService
  properties: { workspaceId: workspaceId, logs: storageLogs, metrics: storageMetrics }
}

resource queueLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (functionsHost) {
  name: 'to-log-analytics'
  scope: queueService
  properties: { workspaceId: workspaceId, logs: storageLogs, metrics: storageMetrics }
}

module endpoints 'private-endpoint.bicep' = [for service in services: if (privateNetworking) {
  name: 'pe-${name}-${service}'
  params: {
    name: 'pe-${name}-${service}'
    location: location
    tags: tags
    subnetId: privateEndpointSubnetId
    targetId: account.id
    groupId: service
    privateDnsZoneId: privateNetworking ? privateDnsZoneIds[service] : ''
  }
  dependsOn: [ created ]
}]

output name string = name
