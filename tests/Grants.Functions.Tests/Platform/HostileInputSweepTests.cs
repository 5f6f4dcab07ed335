using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;
using Grants.LocalHost.Identity;
using Microsoft.IdentityModel.Tokens;

namespace Grants.Functions.Tests.Platform;

/// <summary>A host of its own, so that counting stored rows is not disturbed by other tests.</summary>
public sealed class QuietGrantsApi : GrantsHost
{
    public override TimeProvider Clock => TimeProvider.System;
}

/// <summary>
/// design.md §2.8 over every route of the API (from its OpenAPI document, so a new route is covered the
/// day it appears): malformed JSON, the wrong content type, an oversized body, and tokens that must not
/// open anything — each gets its 4xx problem response, and no table gains a row.
/// </summary>
public sealed class HostileInputSweepTests(QuietGrantsApi api) : IClassFixture<QuietGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Tables = [TableNames.Aggregates, TableNames.Ledgers, TableNames.Idempotency];

    private sealed record Route(string Method, string Path, string Role, bool JsonBody, bool IfMatch);

    [Fact]
    public async Task EveryJsonRouteRefusesBadBodiesAndStoresNothing()
    {
        var routes = (await RoutesAsync()).Where(r => r.JsonBody).ToList();
        Assert.True(routes.Count > 30, $"only {routes.Count} JSON routes found");
        var before = await CountRowsAsync();
        var failures = new List<string>();
        foreach (var route in routes)
        {
            using var client = api.As(route.Role, organisation: route.Role is Roles.Applicant or Roles.Supplier ? "12345678" : null, subject: $"sweep-{route.Role}");
            foreach (var (name, content, status, type) in new (string, HttpContent, HttpStatusCode, string)[]
            {
                ("malformed JSON", new StringContent("{\"a\": ", Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest, "malformed-request"),
                ("JSON array", new StringContent("[1,2,3]", Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest, "malformed-request"),
                ("wrong content type", new StringContent("a=1", Encoding.UTF8, "application/x-www-form-urlencoded"), HttpStatusCode.UnsupportedMediaType, "unsupported-media-type"),
                ("oversized body", new StringContent($$"""{"x":"{{new string('x', 300 * 1024)}}"}""", Encoding.UTF8, "application/json"), HttpStatusCode.RequestEntityTooLarge, "payload-too-large"),
            })
            {
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path) { Content = content };
                if (route.IfMatch)
                {
                    request.Headers.TryAddWithoutValidation("If-Match", "\"*\"");
                }

                using var response = await client.SendAsync(request, Ct);
                var body = await response.Content.ReadAsStringAsync(Ct);
                if (response.StatusCode != status || !body.Contains($"urn:grants:problem:{type}", StringComparison.Ordinal))
                {
                    failures.Add($"{route.Method} {route.Path} ({name}): {(int)response.StatusCode} {body[..Math.Min(200, body.Length)]}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task NoProtectedRouteOpensForAForgedExpiredOrUnsignedToken()
    {
        var routes = (await RoutesAsync()).Where(r => r.Role != "anonymous").ToList();
        var valid = api.Token(Roles.Ministry);
        var forged = Forge(valid);
        var tokens = new (string Name, string? Bearer, (string, string)? Header)[]
        {
            ("no token, identity headers of a proxy", null, ("X-MS-CLIENT-PRINCIPAL-NAME", "minister@example.nl")),
            ("token of another signing key", DevelopmentTokens.Issue(new AuthOptions { DevelopmentSigningKey = DevelopmentTokens.NewSigningKey() }, "intruder", Roles.Ministry, null, api.Clock.GetUtcNow(), TimeSpan.FromHours(1)), null),
            ("expired token", api.Token(Roles.Ministry, lifetime: TimeSpan.FromMinutes(5), now: api.Clock.GetUtcNow().AddHours(-2)), null),
            ("alg none", forged, null),
            ("wrong audience", DevelopmentTokens.Issue(new AuthOptions { DevelopmentSigningKey = api.Auth.DevelopmentSigningKey, Audience = "another-api" }, "intruder", Roles.Ministry, null, api.Clock.GetUtcNow(), TimeSpan.FromHours(1)), null),
        };
        var before = await CountRowsAsync();
        var failures = new List<string>();
        foreach (var route in routes)
        {
            foreach (var (name, bearer, header) in tokens)
            {
                using var client = api.Anonymous();
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path);
                if (bearer is not null)
                {
                    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
                }

                if (header is { } h)
                {
                    request.Headers.TryAddWithoutValidation(h.Item1, h.Item2);
                }

                if (route.JsonBody)
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }

                using var response = await client.SendAsync(request, Ct);
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{route.Method} {route.Path} ({name}): {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task NoOrganisationReadsAnotherOrganisationsRecords()
    {
        // Organisation A: an application drawn, awarded and accepted, so it has files, surveys and a grant.
        var scenario = new Grants.Functions.Tests.Lottery.LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync();
        await scenario.RevealBothAsync(drawn);
        var status = await (await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct)).ReadAsync<Grants.Contracts.Lottery.LotteryStatusResponse>();
        if (status.Draw!.HeldForBalance)
        {
            await Grants.Functions.Tests.Lottery.LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/publish", HttpAssertions.Json(new Grants.Contracts.Lottery.ConfirmPublicationRequest("sweep")), Ct));
        }

        Grants.Contracts.Applications.ApplicationResponse? owned = null;
        foreach (var application in drawn.Applications)
        {
            var current = await (await drawn.Ministry.GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<Grants.Contracts.Applications.ApplicationResponse>();
            owned ??= current.Status == "Selected" ? current : null;
        }

        Assert.NotNull(owned);
        await scenario.AwardAsync(owned);

        using var owner = api.As(Roles.Applicant, organisation: owned.OrganisationKvk, subject: $"user-{owned.OrganisationKvk}");
        await Grants.Functions.Tests.Lottery.LotteryScenario.Ok(owner.PostAsync($"api/applications/{owned.Id}/award/answer", HttpAssertions.Json(new Grants.Contracts.Applications.AnswerAwardRequest(true)), Ct));
        using var stranger = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());

        // Every read route about an organisation's own records: the owner reads it, the stranger does not.
        var routes = (await RoutesAsync(new Dictionary<string, string> { ["applicationId"] = owned.Id, ["kvk"] = owned.OrganisationKvk, ["kind"] = "project-plan" }))
            .Where(r => r.Method == "GET" && r.Path.Contains(owned.Id, StringComparison.Ordinal) || r.Method == "GET" && r.Path.Contains(owned.OrganisationKvk, StringComparison.Ordinal))
            .ToList();
        Assert.True(routes.Count >= 6, $"only {routes.Count} organisation routes found");
        var failures = new List<string>();
        var checkedRoutes = 0;
        foreach (var route in routes)
        {
            using var mine = await owner.GetAsync(route.Path, Ct);
            if (mine.StatusCode != HttpStatusCode.OK)
            {
                continue; // nothing of this kind exists for the owner either (e.g. a voucher in a project-subsidy round)
            }

            checkedRoutes++;
            using var theirs = await stranger.GetAsync(route.Path, Ct);
            if (theirs.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden))
            {
                failures.Add($"GET {route.Path}: another organisation got {(int)theirs.StatusCode}");
            }
        }

        Assert.True(checkedRoutes >= 5, $"only {checkedRoutes} routes could be checked");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The routes from the API's own OpenAPI document, with path parameters filled and the first role that may call them.</summary>
    private async Task<List<Route>> RoutesAsync(IReadOnlyDictionary<string, string>? values = null)
    {
        using var client = api.Anonymous();
        var document = JsonNode.Parse(await client.GetStringAsync("api/openapi.json", Ct))!;
        var routes = new List<Route>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var description = operation!["description"]?.GetValue<string>() ?? string.Empty;
                var role = description.StartsWith("Roles: ", StringComparison.Ordinal) ? description[7..].Split([',', '.'])[0].Trim() : "anonymous";
                var json = operation["requestBody"]?["content"]?["application/json"] is not null;
                var ifMatch = operation["parameters"]?.AsArray().Any(p => p!["name"]!.GetValue<string>() == "If-Match" && p["required"]?.GetValue<bool>() == true) == true;
                var filled = System.Text.RegularExpressions.Regex.Replace(path.TrimStart('/'), "\\{([^}]+)\\}", m => values?.GetValueOrDefault(m.Groups[1].Value) ?? "no-such-thing");
                routes.Add(new Route(method.ToUpperInvariant(), filled, role, json, ifMatch));
            }
        }

        return routes;
    }

    /// <summary>The same claims with the header changed to "alg": "none" and the signature dropped.</summary>
    private static string Forge(string token)
    {
        var parts = token.Split('.');
        return $"{Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{parts[1]}.";
    }

    private async Task<long> CountRowsAsync()
    {
        long count = 0;
        foreach (var name in Tables)
        {
            var table = await api.Storage().TableAsync(name, Ct);
            await foreach (var _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"], cancellationToken: Ct))
            {
                count++;
            }
        }

        return count;
    }
}
