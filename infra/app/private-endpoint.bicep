// A private endpoint for one service of one resource (a storage account's blob, table or queue service, or
// a key vault), registered in the private DNS zone that makes the service's usual host name resolve to it
// inside the virtual network.
param name string
param location string
param tags object
param subnetId string
param targetId string

@description('Private link sub-resource: blob, table, queue or vault.')
param groupId string

param privateDnsZoneId string

resource endpoint 'Microsoft.Network/privateEndpoints@2023-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    subnet: { id: subnetId }
    privateLinkServiceConnections: [
      {
        name: name
        properties: { privateLinkServiceId: targetId, groupIds: [ groupId ] }
      }
    ]
  }
}

resource dns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-11-01' = {
  parent: endpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: groupId
        properties: { privateDnsZoneId: privateDnsZoneId }
      }
    ]
  }
}
