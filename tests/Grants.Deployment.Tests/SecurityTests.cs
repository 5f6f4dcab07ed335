using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grants.Functions;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Deployment.Tests;

/// <summary>
/// What the deployment guarantees (docs/deploy.md, "Security"), checked on what infra/main.bicep creates:
/// write-once evidence under a locked policy, delete locks, three storage accounts with roles on exactly
/// what the app uses, resource logs, no publishing credentials, secrets in Key Vault only, and — behind
/// parameters — private networking and Front Door rate limits.
/// </summary>
public sealed class SecurityTests
{
    private const string StorageAccounts = "Microsoft.Storage/storageAccounts";
    private const string RoleAssignments = "Microsoft.Authorization/roleAssignments";
    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string SecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    /// <summary>Built-in roles that reach storage data (blobs, tables, queues) or its keys.</summary>
    private static readonly string[] StorageRoles =
    [
        BlobDataOwner, BlobDataContributor, "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", // Blob Data Reader
        TableDataContributor, "76199698-9eea-4c19-bc75-cec21354c6b6", // Table Data Reader
        "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "19e7f393-937e-4f77-808e-94535e297925", // Queue Data Contributor, Reader
        "8a0f0c08-91a1-4084-bc3d-661d67233fed", "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a", // Queue Data Message Processor, Sender
        "17d1049b-9a84-46fb-8f53-869881c3d3ab", "81a9662b-bebf-436f-a333-f67b29880f12", // Storage Account Contributor, Key Operator
    ];

    /// <summary>The write-once containers: the app's protocols and announcements, and the scheduled export of its tables.</summary>
    private static readonly string[] EvidenceContainers = [ContainerNames.Protocols, ContainerNames.Announcements, "audit-exports"];

    [Fact]
    public void EvidenceIsWriteOnceUnderALockedPolicyForTheRetentionPeriod()
    {
        var first = MainTemplate.Deploy(("evidenceRetentionDays", 4000));
        var evidence = Account(first, "evidence-storage");
        var declarations = first.OfType(StorageAccounts).Where(a => a.Name == evidence.Name).ToList();
        Assert.Equal(["Unlocked", "Locked"], declarations.Select(a => ImmutabilityPolicy(a)!["state"]!.GetValue<string>()));
        var creation = first.OfType("Microsoft.Resources/deployments").Single(m => m.Name == $"{evidence.Name}-account");
        var locking = first.OfType("Microsoft.Resources/deployments").Single(m => m.Name == declarations[1].Module.Split('/')[^1]);
        Assert.Contains(creation.Id, locking.Body["dependsOn"]!.AsArray().Select(d => d!.GetValue<string>()));

        var later = MainTemplate.Deploy(("evidenceRetentionDays", 4000), ("evidencePolicyLocked", true));
        var redeclared = Assert.Single(later.OfType(StorageAccounts), a => a.Name == evidence.Name);
        Assert.Equal("Locked", ImmutabilityPolicy(redeclared)!["state"]!.GetValue<string>());

        Assert.All(declarations.Append(redeclared), account =>
        {
            Assert.True(account.Properties!["immutableStorageWithVersioning"]!["enabled"]!.GetValue<bool>());
            Assert.Equal(4000, ImmutabilityPolicy(account)!["immutabilityPeriodSinceCreationInDays"]!.GetValue<int>());
            Assert.False(ImmutabilityPolicy(account)!["allowProtectedAppendWrites"]!.GetValue<bool>());
        });
        Assert.All(first.OfType(StorageAccounts).Where(a => a.Name != evidence.Name), a => Assert.Null(a.Properties!["immutableStorageWithVersioning"]));
        Assert.Equal(EvidenceContainers.Order(), Containers(first, evidence).Order());
        Assert.True(first.OfType($"{StorageAccounts}/blobServices").Single(b => b.Id.StartsWith(evidence.Id + "/", StringComparison.Ordinal)).Properties!["isVersioningEnabled"]!.GetValue<bool>());

        // azd keeps the output in the environment and passes it back, so later provisions declare the policy locked.
        Assert.True(MainTemplate.Compiled["outputs"]!["GRANTS_EVIDENCE_POLICY_LOCKED"]!["value"]!.GetValue<bool>());
        Assert.Equal("${GRANTS_EVIDENCE_POLICY_LOCKED=false}", ParameterFile("evidencePolicyLocked"));
    }

    [Fact]
    public void TheDataAndEvidenceAccountsCannotBeDeleted()
    {
        var deployment = MainTemplate.Deploy();
        var locks = deployment.OfType("Microsoft.Authorization/locks").ToList();
        Assert.All(new[] { Account(deployment, "data-storage"), Account(deployment, "evidence-storage") }, account =>
            Assert.Contains(locks, l => l.Scope == account.Id && l.Properties!["level"]!.GetValue<string>() == "CanNotDelete"));
    }

    [Fact]
    public void TheHostGrantsDataAndEvidenceLiveInThreeAccounts()
    {
        var deployment = MainTemplate.Deploy();
        var (host, data, evidence) = (Account(deployment, "host-storage"), Account(deployment, "data-storage"), Account(deployment, "evidence-storage"));
        Assert.Equal(3, deployment.OfType(StorageAccounts).Select(a => a.Name).Distinct().Count());
        var settings = InfrastructureTests.AppSettings(deployment);
        Assert.All(new[] { "blobServiceUri", "queueServiceUri", "tableServiceUri" }, uri => Assert.StartsWith($"https://{host.Name}.", settings[$"{StorageAccount.HostConnectionName}__{uri}"], StringComparison.Ordinal));
        Assert.All(new[] { "blobServiceUri", "tableServiceUri" }, uri => Assert.StartsWith($"https://{data.Name}.", settings[$"{StorageAccount.ConnectionName}__{uri}"], StringComparison.Ordinal));
        Assert.StartsWith($"https://{evidence.Name}.blob.", settings[$"{StorageAccount.EvidenceConnectionName}__blobServiceUri"], StringComparison.Ordinal);
        Assert.Single(new[] { StorageAccount.HostConnectionName, StorageAccount.ConnectionName, StorageAccount.EvidenceConnectionName }.Select(c => settings[$"{c}__clientId"]).Distinct());

        var package = InfrastructureTests.Site(deployment).Properties!["functionAppConfig"]!["deployment"]!["storage"]!["value"]!.GetValue<string>();
        Assert.Equal($"https://{host.Name}.blob.core.windows.net/{Containers(deployment, host).Single()}", package);
    }

    [Fact]
    public void EveryTableAndContainerTheCodeUsesIsProvisionedWithARoleOnItAlone()
    {
        var deployment = MainTemplate.Deploy();
        var (data, evidence) = (Account(deployment, "data-storage"), Account(deployment, "evidence-storage"));
        foreach (var table in ConstantsOf(typeof(TableNames)))
        {
            var provisioned = deployment.OfType($"{StorageAccounts}/tableServices/tables").SingleOrDefault(t => t.Id == $"{data.Id}/tableServices/default/tables/{table}");
            Assert.True(provisioned is not null, $"table {table} is not provisioned in the data account");
            AssertTheAppAloneHas(TableDataContributor, provisioned, deployment);
        }

        var containers = ConstantsOf(typeof(ContainerNames)).Concat(ContainersNamedElsewhere()).Concat(EvidenceContainers).Distinct();
        foreach (var container in containers)
        {
            var account = EvidenceContainers.Contains(container) ? evidence : data;
            var provisioned = deployment.OfType($"{StorageAccounts}/blobServices/containers").SingleOrDefault(c => c.Id == $"{account.Id}/blobServices/default/containers/{container}");
            Assert.True(provisioned is not null, $"container {container} is not provisioned in {account.Name}");
            AssertTheAppAloneHas(BlobDataContributor, provisioned, deployment);
        }
    }

    [Fact]
    public void NoRoleCoversTheDataOrEvidenceAccountAsAWhole()
    {
        var deployment = MainTemplate.Deploy(("privateNetworking", true), ("frontDoor", true));
        var (host, data, evidence) = (Account(deployment, "host-storage"), Account(deployment, "data-storage"), Account(deployment, "evidence-storage"));
        Assert.All(deployment.OfType(RoleAssignments), assignment =>
        {
            var scope = assignment.Scope;
            Assert.True(scope is not null, $"{assignment.Id} applies to the whole resource group");
            Assert.NotEqual(data.Id, scope);
            Assert.NotEqual(evidence.Id, scope);
            var role = Role(assignment);
            if (StorageRoles.Contains(role))
            {
                var toOneContainerOrTable = (scope.StartsWith(data.Id + "/", StringComparison.Ordinal) || scope.StartsWith(evidence.Id + "/", StringComparison.Ordinal))
                    && Regex.IsMatch(scope, "/(blobServices/default/containers|tableServices/default/tables)/[^/]+$");
                Assert.True(scope == host.Id || toOneContainerOrTable, $"storage role {role} on {scope}");
            }

            Assert.True(role != BlobDataOwner || scope == host.Id, $"Storage Blob Data Owner on {scope}");
        });
    }

    [Fact]
    public void StorageKeyVaultAndTheAppLogToLogAnalytics()
    {
        var deployment = MainTemplate.Deploy();
        var workspace = deployment.OfType("Microsoft.OperationalInsights/workspaces").Single();
        var settings = deployment.OfType("Microsoft.Insights/diagnosticSettings").ToList();
        IEnumerable<string> Logged(DeployedResource resource) => settings
            .Where(s => s.Scope == resource.Id && s.Properties!["workspaceId"]!.GetValue<string>() == workspace.Id)
            .SelectMany(s => s.Properties!["logs"]!.AsArray())
            .Where(l => l!["enabled"]!.GetValue<bool>())
            .Select(l => l!["category"]!.GetValue<string>());

        var services = deployment.Resources.Where(r => r.Type is $"{StorageAccounts}/blobServices" or $"{StorageAccounts}/tableServices" or $"{StorageAccounts}/queueServices").ToList();
        Assert.Equal(6, services.Count); // host: blob, table, queue; data: blob, table; evidence: blob
        Assert.All(services, service => Assert.Subset(Logged(service).ToHashSet(), new HashSet<string> { "StorageRead", "StorageWrite", "StorageDelete" }));
        Assert.Contains("AuditEvent", Logged(deployment.OfType("Microsoft.KeyVault/vaults").Single()));
        Assert.Contains("FunctionAppLogs", Logged(InfrastructureTests.Site(deployment)));
    }

    [Fact]
    public void PublishingTakesAnEntraIdTokenAndTrafficTakesTls12()
    {
        var deployment = MainTemplate.Deploy();
        var site = InfrastructureTests.Site(deployment);
        var policies = deployment.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToDictionary(p => p.Name, p => p.Properties!["allow"]!.GetValue<bool>());
        Assert.Equal(new Dictionary<string, bool> { [$"{site.Name}/ftp"] = false, [$"{site.Name}/scm"] = false }, policies);
        Assert.True(site.Properties!["httpsOnly"]!.GetValue<bool>());
        Assert.Equal("1.2", site.Properties!["siteConfig"]!["minTlsVersion"]!.GetValue<string>());
        Assert.Equal("1.2", site.Properties!["siteConfig"]!["scmMinTlsVersion"]!.GetValue<string>());
        Assert.Equal("Disabled", site.Properties!["siteConfig"]!["ftpsState"]!.GetValue<string>());
    }

    [Fact]
    public void SecretsReachTheAppOnlyThroughKeyVault()
    {
        Assert.All(new[] { "smtpPassword", "pseudonymKey" }, p => Assert.Equal("securestring", MainTemplate.Compiled["parameters"]![p]!["type"]!.GetValue<string>()));
        var deployment = MainTemplate.Deploy();
        var settings = InfrastructureTests.AppSettings(deployment);
        Assert.All(new[] { "Mail__Smtp__Password", "Evaluation__PseudonymKey" }, s => Assert.StartsWith("@Microsoft.KeyVault(SecretUri=", settings[s], StringComparison.Ordinal));
        Assert.DoesNotContain(settings.Values, v => v.Contains("smtp-secret", StringComparison.Ordinal) || v.Contains(MainTemplate.Sample("pseudonymKey")!.GetValue<string>(), StringComparison.Ordinal));

        var secrets = deployment.OfType("Microsoft.KeyVault/vaults/secrets").Select(s => s.Id).Order().ToList();
        var readable = deployment.OfType(RoleAssignments).Where(a => Role(a) == SecretsUser).Select(a => a.Scope!).Order().ToList();
        Assert.Equal(secrets, readable);
    }

    [Fact]
    public void EachIssuerIsTrustedForItsOwnAudience()
    {
        var settings = InfrastructureTests.AppSettings();
        Assert.Equal(MainTemplate.Sample("staffAuthority")!.GetValue<string>(), settings["Auth__Staff__Authority"]);
        Assert.Equal(MainTemplate.Sample("staffAudience")!.GetValue<string>(), settings["Auth__Staff__Audience"]);
        Assert.Equal(MainTemplate.Sample("organisationAuthority")!.GetValue<string>(), settings["Auth__Organisations__Authority"]);
        Assert.Equal(MainTemplate.Sample("organisationAudience")!.GetValue<string>(), settings["Auth__Organisations__Audience"]);
        Assert.DoesNotContain(settings.Keys, k => k == "Auth__Audience" || k.StartsWith("Auth__Issuers__", StringComparison.Ordinal));
        Assert.Equal("${GRANTS_STAFF_AUDIENCE}", ParameterFile("staffAudience"));
        Assert.Equal("${GRANTS_ORGANISATION_AUDIENCE}", ParameterFile("organisationAudience"));
    }

    [Fact]
    public void TheDevelopmentSigningKeyIsNeverSetInAzure()
    {
        foreach (var deployment in new[] { MainTemplate.Deploy(), MainTemplate.Deploy(("privateNetworking", true), ("frontDoor", true)) })
        {
            Assert.DoesNotContain(InfrastructureTests.AppSettings(deployment).Keys, k => k.Contains(nameof(AuthOptions.DevelopmentSigningKey), StringComparison.OrdinalIgnoreCase));
        }

        Assert.DoesNotContain(nameof(AuthOptions.DevelopmentSigningKey), MainTemplate.Compiled.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void PrivateNetworkingLeavesStorageAndKeyVaultReachableThroughTheVirtualNetworkOnly()
    {
        var deployment = MainTemplate.Deploy(("privateNetworking", true));
        var (host, data, evidence) = (Account(deployment, "host-storage"), Account(deployment, "data-storage"), Account(deployment, "evidence-storage"));
        var vault = deployment.OfType("Microsoft.KeyVault/vaults").Single();
        Assert.All(deployment.OfType(StorageAccounts).Append(vault), r => Assert.Equal("Disabled", r.Properties!["publicNetworkAccess"]!.GetValue<string>()));

        var endpoints = deployment.OfType("Microsoft.Network/privateEndpoints").ToList();
        var reached = endpoints.Select(e => e.Properties!["privateLinkServiceConnections"]![0]!["properties"]!)
            .Select(c => (c["privateLinkServiceId"]!.GetValue<string>(), c["groupIds"]![0]!.GetValue<string>()))
            .ToHashSet();
        HashSet<(string, string)> expected =
        [
            (host.Id, "blob"), (host.Id, "table"), (host.Id, "queue"), (data.Id, "blob"), (data.Id, "table"), (evidence.Id, "blob"), (vault.Id, "vault"),
        ];
        Assert.Equal(expected, reached);

        var network = deployment.OfType("Microsoft.Network/virtualNetworks").Single();
        var zones = deployment.OfType("Microsoft.Network/privateDnsZones").ToDictionary(z => z.Id, z => z.Name);
        var linked = deployment.OfType("Microsoft.Network/privateDnsZones/virtualNetworkLinks").Where(l => l.Properties!["virtualNetwork"]!["id"]!.GetValue<string>() == network.Id).Select(l => l.Name.Split('/')[0]).ToHashSet();
        Assert.All(endpoints, endpoint =>
        {
            var group = endpoint.Properties!["privateLinkServiceConnections"]![0]!["properties"]!["groupIds"]![0]!.GetValue<string>();
            var registration = deployment.OfType("Microsoft.Network/privateEndpoints/privateDnsZoneGroups").Single(g => g.Name.StartsWith(endpoint.Name + "/", StringComparison.Ordinal));
            var zone = zones[registration.Properties!["privateDnsZoneConfigs"]![0]!["properties"]!["privateDnsZoneId"]!.GetValue<string>()];
            Assert.Equal(group == "vault" ? "privatelink.vaultcore.azure.net" : $"privatelink.{group}.core.windows.net", zone);
            Assert.Contains(zone, linked);
        });

        var subnet = InfrastructureTests.Site(deployment).Properties!["virtualNetworkSubnetId"]!.GetValue<string>();
        Assert.Equal($"{network.Id}/subnets/app", subnet);
        var app = network.Properties!["subnets"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "app")!;
        Assert.Equal("Microsoft.App/environments", app["properties"]!["delegations"]![0]!["properties"]!["serviceName"]!.GetValue<string>());
    }

    [Fact]
    public void WithoutPrivateNetworkingEverythingKeepsItsPublicEndpoint()
    {
        var deployment = MainTemplate.Deploy();
        Assert.Empty(deployment.OfType("Microsoft.Network/privateEndpoints"));
        Assert.Empty(deployment.OfType("Microsoft.Network/virtualNetworks"));
        Assert.All(deployment.OfType(StorageAccounts).Concat(deployment.OfType("Microsoft.KeyVault/vaults")), r => Assert.Equal("Enabled", r.Properties!["publicNetworkAccess"]!.GetValue<string>()));
        Assert.Null(InfrastructureTests.Site(deployment).Properties!["virtualNetworkSubnetId"]);
    }

    [Fact]
    public void FrontDoorLimitsEveryAnonymousRouteMoreTightlyAndIsTheOnlyWayIn()
    {
        var deployment = MainTemplate.Deploy(("frontDoor", true));
        var waf = deployment.OfType("Microsoft.Network/FrontDoorWebApplicationFirewallPolicies").Single();
        Assert.Equal("Prevention", waf.Properties!["policySettings"]!["mode"]!.GetValue<string>());
        var rules = waf.Properties!["customRules"]!["rules"]!.AsArray().Select(r => r!)
            .Where(r => r["ruleType"]!.GetValue<string>() == "RateLimitRule" && r["enabledState"]!.GetValue<string>() == "Enabled" && r["action"]!.GetValue<string>() == "Block")
            .ToList();
        int Limit(string path) => rules.Where(r => Matches(r, path)).Select(r => r["rateLimitThreshold"]!.GetValue<int>()).DefaultIfEmpty(int.MaxValue).Min();

        var ceiling = Limit("/api/applications");
        Assert.Equal(600, ceiling);
        Assert.Equal(10, Limit("/api/rounds/r-1/lottery/verify"));
        Assert.All(AnonymousRoutes(), path => Assert.True(Limit(path) < ceiling, $"{path} is not limited more tightly than {ceiling} requests a minute"));

        var profile = deployment.OfType("Microsoft.Cdn/profiles").Single();
        var endpoint = deployment.OfType("Microsoft.Cdn/profiles/afdEndpoints").Single();
        var security = deployment.OfType("Microsoft.Cdn/profiles/securityPolicies").Single().Properties!["parameters"]!;
        Assert.Equal(waf.Id, security["wafPolicy"]!["id"]!.GetValue<string>());
        Assert.Equal(endpoint.Id, security["associations"]![0]!["domains"]![0]!["id"]!.GetValue<string>());

        var site = InfrastructureTests.Site(deployment);
        Assert.Equal($"{site.Name}.azurewebsites.net", deployment.OfType("Microsoft.Cdn/profiles/originGroups/origins").Single().Properties!["hostName"]!.GetValue<string>());
        var config = site.Properties!["siteConfig"]!;
        Assert.Equal("Deny", config["ipSecurityRestrictionsDefaultAction"]!.GetValue<string>());
        var admitted = Assert.Single(config["ipSecurityRestrictions"]!.AsArray())!;
        Assert.Equal(("Allow", "ServiceTag", "AzureFrontDoor.Backend"), (admitted["action"]!.GetValue<string>(), admitted["tag"]!.GetValue<string>(), admitted["ipAddress"]!.GetValue<string>()));
        Assert.Equal($"⟪reference(Microsoft.Cdn/profiles/{profile.Name}).frontDoorId⟫", Assert.Single(admitted["headers"]!["x-azure-fdid"]!.AsArray())!.GetValue<string>());
        Assert.Contains($"Microsoft.Cdn/profiles/{profile.Name}/afdEndpoints/", InfrastructureTests.AppSettings(deployment)["FollowUp__PublicBaseUrl"], StringComparison.Ordinal);
        // The open data's links too: the origin they would otherwise name admits only Front Door.
        Assert.Equal(InfrastructureTests.AppSettings(deployment)["FollowUp__PublicBaseUrl"], InfrastructureTests.AppSettings(deployment)["OpenData__PublicBaseUrl"]);
    }

    [Fact]
    public void WithoutFrontDoorTheAppAdmitsEveryClient()
    {
        var deployment = MainTemplate.Deploy();
        Assert.DoesNotContain(deployment.Resources, r => r.Type.StartsWith("Microsoft.Cdn/", StringComparison.Ordinal) || r.Type.Contains("WebApplicationFirewall", StringComparison.Ordinal));
        var site = InfrastructureTests.Site(deployment);
        Assert.Equal("Allow", site.Properties!["siteConfig"]!["ipSecurityRestrictionsDefaultAction"]!.GetValue<string>());
        Assert.Equal($"https://{site.Name}.azurewebsites.net", InfrastructureTests.AppSettings(deployment)["FollowUp__PublicBaseUrl"]);
        Assert.Equal($"https://{site.Name}.azurewebsites.net", InfrastructureTests.AppSettings(deployment)["OpenData__PublicBaseUrl"]);
    }

    private static DeployedResource Account(ArmDeployment deployment, string module) =>
        deployment.OfType(StorageAccounts).First(a => a.Module.StartsWith(module + "/", StringComparison.Ordinal));

    private static IEnumerable<string> Containers(ArmDeployment deployment, DeployedResource account) =>
        deployment.OfType($"{StorageAccounts}/blobServices/containers").Where(c => c.Id.StartsWith(account.Id + "/", StringComparison.Ordinal)).Select(c => c.Name.Split('/')[^1]);

    private static JsonNode? ImmutabilityPolicy(DeployedResource account) => account.Properties!["immutableStorageWithVersioning"]?["immutabilityPolicy"];

    private static string Role(DeployedResource assignment) => assignment.Properties!["roleDefinitionId"]!.GetValue<string>().Split('/')[^1];

    /// <summary>Exactly one role assignment applies to the resource: the given role, for the app's identity.</summary>
    private static void AssertTheAppAloneHas(string role, DeployedResource resource, ArmDeployment deployment)
    {
        var identity = deployment.OfType("Microsoft.ManagedIdentity/userAssignedIdentities").Single();
        var assignment = Assert.Single(deployment.OfType(RoleAssignments), a => a.Scope == resource.Id);
        Assert.Equal(role, Role(assignment));
        Assert.Equal($"⟪reference(Microsoft.ManagedIdentity/userAssignedIdentities/{identity.Name}).principalId⟫", assignment.Properties!["principalId"]!.GetValue<string>());
    }

    private static IEnumerable<string> ConstantsOf(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!);

    /// <summary>Containers named by a constant outside ContainerNames, such as DecisionDocuments.Container.</summary>
    private static IEnumerable<string> ContainersNamedElsewhere() =>
        typeof(DependencyInjection).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name is "Container" or "ContainerName")
            .Select(f => (string)f.GetRawConstantValue()!);

    /// <summary>A request path for each route a function class opens to anonymous callers, with route values filled in.</summary>
    private static IEnumerable<string> AnonymousRoutes() =>
        typeof(DependencyInjection).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<AnonymousAllowedAttribute>() is not null)
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()?.Route)
            .OfType<string>()
            .Where(route => !route.StartsWith("{*", StringComparison.Ordinal)) // the catch-all answers 404 to any path
            .Select(route => "/api/" + Regex.Replace(route, "{[^}]+}", "x"))
            .Distinct();

    /// <summary>Whether a WAF rule's match conditions (all of them) hold for a request to the path from an ordinary client address.</summary>
    private static bool Matches(JsonNode rule, string path) => rule["matchConditions"]!.AsArray().All(condition =>
    {
        var values = condition!["matchValue"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        var negated = condition["negateCondition"]?.GetValue<bool>() ?? false;
        var holds = (condition["matchVariable"]!.GetValue<string>(), condition["operator"]!.GetValue<string>()) switch
        {
            ("RequestUri", "Contains") => values.Any(v => path.ToLowerInvariant().Contains(v, StringComparison.Ordinal)),
            ("RemoteAddr", "IPMatch") when values.SequenceEqual(["192.0.2.0/24"]) => false, // TEST-NET-1: no real client
            var other => throw new NotSupportedException($"match condition {other}"),
        };
        return holds != negated;
    });

    private static string ParameterFile(string parameter) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(MainTemplate.Root, "infra", "main.parameters.json")))!["parameters"]![parameter]!["value"]!.GetValue<string>();
}
