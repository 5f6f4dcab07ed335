// Log Analytics and workspace-based Application Insights; ingestion needs Entra ID (no instrumentation-key
// writes), and the app's identity may publish telemetry and nothing more. Storage, Key Vault, the function
// app and Front Door send their resource logs to the same workspace.
param logAnalyticsName string
param applicationInsightsName string
param location string
param tags object

@description('Principal id of the app\'s managed identity.')
param principalId string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 90
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

resource telemetryAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, principalId, 'metrics-publisher')
  scope: insights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb') // Monitoring Metrics Publisher
  }
}

output workspaceId string = workspace.id
output connectionString string = insights.properties.ConnectionString
