// One storage account reached by Entra ID only: shared keys, public blobs and cross-tenant replication off,
// TLS 1.2, and with private networking no public network access at all. With immutabilityDays, every
// blob version is write-once for that many days from its creation (version-level immutability with an
// account-wide default policy). storage.bicep declares this module twice for the evidence account: the
// Storage resource provider creates a default policy unlocked and only then accepts locking it.
param name string
param location string
param tags object
param privateNetworking bool

@description('Days each blob version stays immutable; 0 for an account without write-once storage.')
param immutabilityDays int = 0

@description('Unlocked can still be shortened or removed; Locked can only be lengthened, and never unlocked.')
@allowed([ 'Unlocked', 'Locked' ])
param immutabilityState string = 'Unlocked'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    immutableStorageWithVersioning: immutabilityDays > 0
      ? {
          enabled: true
          immutabilityPolicy: {
            immutabilityPeriodSinceCreationInDays: immutabilityDays
            allowProtectedAppendWrites: false
            state: immutabilityState
          }
        }
      : null
  }
}

output name string = account.name
