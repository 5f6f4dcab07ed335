// Storage reached by managed identity only (shared keys off, no public blobs, TLS 1.2). Tables and the
// attachment/pool containers are created by the app; the deployment package container, and the
// write-once evidence containers with a time-based immutability policy, are created here.
param name string
param location string
param tags object
param evidenceRetentionDays int

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: true, days: 30 }
    containerDeleteRetentionPolicy: { enabled: true, days: 30 }
    isVersioningEnabled: true
  }
}

// Retention deletes uploaded documents and decision letters (docs/decisions/0008). With versioning on, a
// deleted blob lives on as a previous version; in those two containers previous versions are deleted
// once 30 days old (soft delete then keeps them 30 days more), so a deletion takes effect.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
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
            filters: { blobTypes: [ 'blockBlob' ], prefixMatch: [ 'attachments/', 'decisions/' ] }
            actions: { version: { delete: { daysAfterCreationGreaterThan: 30 } } }
          }
        }
      ]
    }
  }
  dependsOn: [ blobs ]
}

resource deployment 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: 'deployment-package'
}

// Lottery protocols and the announcements before each draw (the app's "protocols" and "announcements"
// containers) and audit exports: once written, no one — not even an administrator — can change or
// delete them before the retention period ends.
resource evidence 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in ['protocols', 'announcements', 'audit-exports']: {
  parent: blobs
  name: container
}]

resource writeOnce 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = [for (container, i) in ['protocols', 'announcements', 'audit-exports']: {
  parent: evidence[i]
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: evidenceRetentionDays
    allowProtectedAppendWrites: false
  }
}]

output name string = account.name
output deploymentContainerName string = deployment.name
