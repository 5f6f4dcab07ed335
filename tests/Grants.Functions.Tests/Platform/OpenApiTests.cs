using System.Net;
using System.Text.Json.Nodes;
using Grants.Functions.Platform.FunctionApp;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Platform;

public sealed class OpenApiTests(GrantsApi api)
{
    private static readonly string CommittedPath = Path.Combine(RepositoryPaths.Root, "contracts", "openapi.json");

    [Fact]
    public async Task CommittedDocumentMatchesTheServedOne()
    {
        using var client = api.Anonymous();
        var response = await client.GetAsync("api/openapi.json", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (Environment.GetEnvironmentVariable("GRANTS_UPDATE_DOCS") == "1")
        {
            await File.WriteAllTextAsync(CommittedPath, served, TestContext.Current.CancellationToken);
        }

        Assert.True(File.Exists(CommittedPath), "contracts/openapi.json is missing; run the tests with GRANTS_UPDATE_DOCS=1 to write it.");
        Assert.True(served == await File.ReadAllTextAsync(CommittedPath, TestContext.Current.CancellationToken),
            "contracts/openapi.json is stale; run the tests with GRANTS_UPDATE_DOCS=1 and commit the result.");
    }

    [Fact]
    public void DocumentDescribesEveryVisibleHttpFunction()
    {
        var functions = FunctionAppFiles.ReadMetadata(AppContext.BaseDirectory);
        var document = OpenApiDocument.Build(functions, "api", typeof(OpenApiDocument).Assembly);
        var operationIds = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => m.Value!["operationId"]!.GetValue<string>()))
            .ToHashSet();

        var expected = functions.Where(f => f.Trigger!.IsHttpTrigger && f.Name != "RouteNotFound").Select(f => f.Name);
        Assert.Equal(expected.Order(), operationIds.Order());
        var create = document["paths"]!["/api/schemes"]!["post"]!;
        Assert.Equal("Roles: ministry.", create["description"]!.GetValue<string>());
        Assert.NotNull(create["responses"]!["201"]);
        Assert.NotNull(create["responses"]!["403"]);
        Assert.NotNull(document["components"]!["schemas"]!["CreateSchemeRequest"]);
    }

    /// <summary>
    /// Each operation that takes or answers with JSON shows a real request and response, recorded from a passing test
    /// (GRANTS_UPDATE_DOCS=1 adds the missing ones), and each still matches the operation's schema.
    /// </summary>
    [Fact]
    public void EveryJsonOperationShowsARealExampleThatMatchesItsSchema()
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(CommittedPath))!;
        var problems = new List<string>();
        foreach (var (path, methods) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in methods!.AsObject())
            {
                var success = operation!["responses"]!.AsObject().First(r => r.Key[0] == '2').Value;
                foreach (var (what, content) in new[] { ("request", operation["requestBody"]?["content"]?["application/json"]), ("response", success?["content"]?["application/json"]) })
                {
                    if (content is null)
                    {
                        continue;
                    }

                    if (content["example"] is not { } example)
                    {
                        problems.Add($"{method} {path}: no example {what}");
                        continue;
                    }

                    problems.AddRange(ApiContract.Refusals(content["schema"]!, example.ToJsonString()).Select(r => $"{method} {path}: the example {what} no longer matches: {r}"));
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void EveryHttpFunctionDeclaresWhoMayCallIt()
    {
        var assembly = typeof(OpenApiDocument).Assembly;
        foreach (var function in FunctionAppFiles.ReadMetadata(AppContext.BaseDirectory).Where(f => f.Trigger!.IsHttpTrigger))
        {
            var type = assembly.GetType(function.EntryPoint[..function.EntryPoint.LastIndexOf('.')])!;
            var access = Access.Of(type);
            Assert.True(access.AllowsAnonymous || access.Roles.Count > 0, $"{function.Name} admits nobody");
        }
    }
}
