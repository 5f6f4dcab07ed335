// Private networking (main.bicep's privateNetworking): a virtual network with a subnet delegated to Flex
// Consumption for the app's outbound traffic, a subnet for private endpoints, and the private DNS zones
// that resolve storage and Key Vault host names to those endpoints inside it.
param name string
param location string
param tags object

var zoneNames = [
  'privatelink.blob.${environment().suffixes.storage}'
  'privatelink.table.${environment().suffixes.storage}'
  'privatelink.queue.${environment().suffixes.storage}'
  'privatelink.vaultcore.azure.net'
]

resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [ '10.0.0.0/16' ] }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: '10.0.1.0/24'
          delegations: [ { name: 'flex-consumption', properties: { serviceName: 'Microsoft.App/environments' } } ]
        }
      }
      {
        name: 'private-endpoints'
        properties: { addressPrefix: '10.0.2.0/24', privateEndpointNetworkPolicies: 'Disabled' }
      }
    ]
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2020-06-01' = [for zone in zoneNames: {
  name: zone
  location: 'global'
  tags: tags
}]

resource links 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = [for (zone, i) in zoneNames: {
  parent: zones[i]
  name: name
  location: 'global'
  tags: tags
  properties: { virtualNetwork: { id: vnet.id }, registrationEnabled: false }
}]

output appSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'app')
output privateEndpointSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'private-endpoints')
output storageDnsZoneIds object = { blob: zones[0].id, table: zones[1].id, queue: zones[2].id }
output vaultDnsZoneId string = zones[3].id
