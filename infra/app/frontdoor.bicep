// Azure Front Door (Standard) in front of the function app (main.bicep's frontDoor), with a WAF policy
// whose custom rules limit requests per client IP address: tightest for the recomputation of a draw,
// tighter for the other anonymous routes (the public lottery documents, follow-up questionnaires, themes,
// the OpenAPI document, health and the open data), and a ceiling for everything else. The function app admits only
// requests that come through this profile (function.bicep). Access and WAF logs go to Log Analytics.
param name string
param tags object

@description('Host name of the function app, the only origin.')
param appHostName string

param workspaceId string

@description('Requests per minute one client IP address may make to GET /api/rounds/{id}/lottery/verify, which recomputes a draw.')
param verificationRequestsPerMinute int

@description('Requests per minute one client IP address may make to the other anonymous routes.')
param anonymousRequestsPerMinute int

@description('Requests per minute one client IP address may make in all.')
param requestsPerMinute int

resource profile 'Microsoft.Cdn/profiles@2024-02-01' = {
  name: name
  location: 'global'
  tags: tags
  sku: { name: 'Standard_AzureFrontDoor' }
}

resource endpoint 'Microsoft.Cdn/profiles/afdEndpoints@2024-02-01' = {
  parent: profile
  name: name
  location: 'global'
  tags: tags
  properties: { enabledState: 'Enabled' }
}

// One origin, so no health probes: they would only add load.
resource origins 'Microsoft.Cdn/profiles/originGroups@2024-02-01' = {
  parent: profile
  name: 'function-app'
  properties: {
    loadBalancingSettings: { sampleSize: 4, successfulSamplesRequired: 3, additionalLatencyInMilliseconds: 50 }
    sessionAffinityState: 'Disabled'
  }
}

resource origin 'Microsoft.Cdn/profiles/originGroups/origins@2024-02-01' = {
  parent: origins
  name: 'function-app'
  properties: {
    hostName: appHostName
    originHostHeader: appHostName
    httpsPort: 443
    priority: 1
    weight: 1000
    enforceCertificateNameCheck: true
  }
}

resource route 'Microsoft.Cdn/profiles/afdEndpoints/routes@2024-02-01' = {
  parent: endpoint
  name: 'api'
  properties: {
    originGroup: { id: origins.id }
    supportedProtocols: [ 'Http', 'Https' ]
    httpsRedirect: 'Enabled'
    forwardingProtocol: 'HttpsOnly'
    patternsToMatch: [ '/*' ]
    linkToDefaultDomain: 'Enabled'
  }
  dependsOn: [ origin ]
}

// Rate-limit rules count per client IP address over one minute. Each needs a match condition; the
// ceiling matches every address outside the TEST-NET-1 documentation range, that is, every client.
// '/lottery' also counts the staff's few requests to a round's /lottery/balance and /lottery/publish.
resource waf 'Microsoft.Network/FrontDoorWebApplicationFirewallPolicies@2024-02-01' = {
  name: replace(name, '-', '')
  location: 'Global'
  tags: tags
  sku: { name: 'Standard_AzureFrontDoor' }
  properties: {
    policySettings: { enabledState: 'Enabled', mode: 'Prevention', customBlockResponseStatusCode: 429 }
    customRules: {
      rules: [
        {
          name: 'LimitDrawVerification'
          priority: 10
          enabledState: 'Enabled'
          ruleType: 'RateLimitRule'
          rateLimitDurationInMinutes: 1
          rateLimitThreshold: verificationRequestsPerMinute
          action: 'Block'
          matchConditions: [
            { matchVariable: 'RequestUri', operator: 'Contains', transforms: [ 'Lowercase' ], matchValue: [ '/lottery/verify' ] }
          ]
        }
        {
          name: 'LimitAnonymousRoutes'
          priority: 20
          enabledState: 'Enabled'
          ruleType: 'RateLimitRule'
          rateLimitDurationInMinutes: 1
          rateLimitThreshold: anonymousRequestsPerMinute
          action: 'Block'
          matchConditions: [
            {
              matchVariable: 'RequestUri'
              operator: 'Contains'
              transforms: [ 'Lowercase' ]
              matchValue: [ '/lottery', '/api/respond/', '/api/themes/', '/api/openapi.json', '/api/health', '/open-data/', '/register/', '/common-grants/' ]
            }
          ]
        }
        {
          name: 'LimitEveryClient'
          priority: 30
          enabledState: 'Enabled'
          ruleType: 'RateLimitRule'
          rateLimitDurationInMinutes: 1
          rateLimitThreshold: requestsPerMinute
          action: 'Block'
          matchConditions: [
            { matchVariable: 'RemoteAddr', operator: 'IPMatch', negateCondition: true, matchValue: [ '192.0.2.0/24' ] }
          ]
        }
      ]
    }
  }
}

resource security 'Microsoft.Cdn/profiles/securityPolicies@2024-02-01' = {
  parent: profile
  name: 'rate-limits'
  properties: {
    parameters: {
      type: 'WebApplicationFirewall'
      wafPolicy: { id: waf.id }
      associations: [ { domains: [ { id: endpoint.id } ], patternsToMatch: [ '/*' ] } ]
    }
  }
}

resource logs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: profile
  properties: {
    workspaceId: workspaceId
    logs: [
      { category: 'FrontDoorAccessLog', enabled: true }
      { category: 'FrontDoorWebApplicationFirewallLog', enabled: true }
    ]
  }
}

@description('The profile\'s id, which Front Door sends in the X-Azure-FDID header.')
output frontDoorId string = profile.properties.frontDoorId
output hostName string = endpoint.properties.hostName
