using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Grants.Functions.Platform.Http;
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
/// docs/design.md §2.8 over every route of the API (from its OpenAPI document, so a new route is covered the
/// day it appears): malformed JSON, the wrong content type, an oversized body, and tokens that must not
/// open anything — each gets its 4xx problem response, and no table gains a row.
/// </summary>
public sealed class HostileInputSweepTests(QuietGrantsApi api) : IClassFixture<QuietGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Tables = [TableNames.Aggregates, TableNames.Ledgers, TableNames.Idempotency];

    private sealed record Route(string Method, string Path, string Role, bool JsonBody, bool IfMatch, string Template);

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
        var drawn = await PublishedDrawAsync(scenario);

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

    /// <summary>A value of each route parameter's exact form (<see cref="RouteValues.Route"/>), naming nothing that exists.</summary>
    private static readonly Dictionary<string, string> WellFormed = new()
    {
        ["roundId"] = "round-0123456789ab",
        ["schemeId"] = "scheme-0123456789abcdef0123456789abcdef",
        ["applicationId"] = "app-0123456789ab-12345678",
        ["assessmentId"] = "assessment-app-0123456789ab-12345678",
        ["grantId"] = "grant-app-0123456789ab-12345678",
        ["voucherId"] = "voucher-app-0123456789ab-12345678",
        ["surveyId"] = "survey-round-0123456789ab-P-0123456789-w1",
        ["aggregateId"] = "round-0123456789ab",
        ["kvk"] = "12345678",
        ["kind"] = "project-plan",
        ["requestId"] = "ir-1",
        ["sheetId"] = "sheet-1",
        ["advanceId"] = "advance-1",
        ["token"] = "c3VydmV5LXh8eQ." + new string('a', 43),
        ["year"] = "2008",
        ["oppId"] = "6772616e-7473-8000-8000-0123456789ab",
        ["file"] = "extension.json",
        ["operationId"] = "op-draw-publication-round-0123456789ab-0123456789abcdef",
    };

    /// <summary>
    /// Every route value becomes part of a table key, a query filter or a blob name. Of any other form
    /// than its own — a path out of its container, a key separator, a trailing newline, a filter quote,
    /// upper case, an overlong value — it is refused with 404 before it reaches storage, and nothing is
    /// stored. A route parameter without a declared form fails here.
    /// </summary>
    [Fact]
    public async Task EveryRouteValueOfAnotherFormThanItsOwnIsRefusedBeforeItReachesStorage()
    {
        var routes = await TemplatesAsync();
        var parameters = routes.SelectMany(r => System.Text.RegularExpressions.Regex.Matches(r.Path, "\\{([^}:*]+)").Select(m => m.Groups[1].Value)).Distinct().ToList();
        Assert.DoesNotContain(parameters, p => !RouteValues.Route.ContainsKey(p));
        Assert.DoesNotContain(parameters, p => !WellFormed.ContainsKey(p));
        string[] hostile =
        [
            "..%2F..%2Fpools%2Fround-0123456789ab", "x%2Fy", "x%5Cy", "x%23y", "x%3Fy", "round-0123456789ab%0A", "ROUND-0123456789AB",
            "x%27%20or%20%27a%27%20eq%20%27a", "x%01y", new string('1', 1200), "%E2%80%AE12345678",
        ];
        var before = await CountRowsAsync();
        var failures = new List<string>();
        var sent = 0;
        foreach (var route in routes.Where(r => r.Path.Contains('{', StringComparison.Ordinal) && !r.Path.Contains("{*", StringComparison.Ordinal)))
        {
            using var client = route.Role == "anonymous" ? api.Anonymous() : api.As(route.Role, organisation: route.Role is Roles.Applicant or Roles.Supplier ? "12345678" : null, subject: $"sweep-{route.Role}");
            foreach (var parameter in System.Text.RegularExpressions.Regex.Matches(route.Path, "\\{([^}:]+)").Select(m => m.Groups[1].Value.Split(':')[0]))
            {
                foreach (var value in hostile)
                {
                    var path = System.Text.RegularExpressions.Regex.Replace(route.Path, "\\{([^}]+)\\}", m => m.Groups[1].Value.Split(':')[0] == parameter ? value : WellFormed[m.Groups[1].Value.Split(':')[0]]);
                    using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
                    if (route.JsonBody)
                    {
                        request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                    }

                    using var response = await client.SendAsync(request, Ct);
                    sent++;
                    var body = await response.Content.ReadAsStringAsync(Ct);
                    if (response.StatusCode != HttpStatusCode.NotFound || !body.Contains("urn:grants:problem:", StringComparison.Ordinal) || body.Contains("urn:grants:problem:unexpected", StringComparison.Ordinal))
                    {
                        failures.Add($"{route.Method} {path[..Math.Min(120, path.Length)]}: {(int)response.StatusCode} {body[..Math.Min(160, body.Length)]}");
                    }
                }
            }
        }

        Assert.True(sent > 500, $"only {sent} requests sent");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent}:\n{string.Join("\n", failures.Take(40))}");
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task ARefusedRouteValueIsAnsweredWithTheFormItsIdHas()
    {
        using var ministry = api.As(Roles.Ministry);

        var problem = await (await ministry.GetAsync("api/organisations/1234567%2F", Ct)).ReadAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(HttpStatusCode.NotFound);

        Assert.Equal("There is no organisation \"1234567%2F\": an organisation is named by a KvK number: eight digits.", problem.Detail);
    }

    /// <summary>Query values that reach storage (a protocol's hash in a blob name, a page's continuation in a table query) have their exact form too.</summary>
    [Theory]
    [InlineData("api/rounds/round-0123456789ab/lottery/protocol?protocolHash=..%2F..%2Fpools%2Fround-0123456789ab%2Fabc", "anonymous", "protocolHash")]
    [InlineData("api/rounds/round-0123456789ab/lottery/protocol?protocolHash=", "anonymous", "protocolHash")]
    [InlineData("api/rounds/round-0123456789ab/applications?continuationToken=a%27%20or%20%27", Roles.Ministry, "continuationToken")]
    [InlineData("api/rounds/round-0123456789ab/applications?continuationToken=a%0Ab", Roles.Ministry, "continuationToken")]
    [InlineData("api/rounds/round-0123456789ab/applications?continuationToken=a&continuationToken=b", Roles.Ministry, "continuationToken")]
    public async Task AStorageBoundQueryValueOfAnotherFormIsRefused(string path, string role, string parameter)
    {
        using var client = role == "anonymous" ? api.Anonymous() : api.As(role);

        var problem = await (await client.GetAsync(path, Ct)).ReadAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>(HttpStatusCode.UnprocessableEntity);

        Assert.Contains(parameter, problem.Errors.Keys);
    }

    /// <summary>
    /// An anonymous caller's Idempotency-Key is not kept: it would let anyone write a row before the
    /// route's own check (a questionnaire's token) ran.
    /// </summary>
    [Fact]
    public async Task AnAnonymousIdempotencyKeyWritesNothing()
    {
        using var anyone = api.Anonymous();
        var before = await CountRowsAsync();

        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/respond/{WellFormed["token"]}") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", $"anonymous-{Guid.NewGuid():N}");
            using var response = await anyone.SendAsync(request, Ct);
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}");
        }

        Assert.Equal(before, await CountRowsAsync());
    }

    /// <summary>Pseudonyms must not be linkable to organisations: no anonymous route, on a drawn and published round, names an application.</summary>
    [Fact]
    public async Task NothingAnonymousNamesAnApplication()
    {
        var scenario = new Grants.Functions.Tests.Lottery.LotteryScenario(api);
        var drawn = await PublishedDrawAsync(scenario);

        var routes = (await RoutesAsync(new Dictionary<string, string>(WellFormed) { ["roundId"] = drawn.Round.Id }))
            .Where(r => r.Role == "anonymous" && r.Method == "GET")
            .ToList();
        Assert.True(routes.Count >= 6, $"only {routes.Count} anonymous routes found");
        using var anyone = api.Anonymous();
        var answered = 0;
        foreach (var route in routes)
        {
            using var response = await anyone.GetAsync(route.Path, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            answered += response.IsSuccessStatusCode ? 1 : 0;
            // The API's own description shows example exchanges, whose ids are shaped like real ones but belong to
            // fictional organisations of earlier test runs; the applications of this round it must not name either.
            if (route.Path != "api/openapi.json")
            {
                Assert.DoesNotMatch("app-[0-9a-f]{12}-[0-9]{8}", body);
            }

            Assert.All(drawn.Applications, a => Assert.DoesNotContain(a.OrganisationKvk, body, StringComparison.Ordinal));
        }

        Assert.True(answered >= 5, $"only {answered} anonymous routes answered");
    }

    /// <summary>Every response, whatever its outcome, tells browsers to keep to HTTPS and not to guess content types.</summary>
    [Fact]
    public async Task EveryResponseCarriesTheSecurityHeaders()
    {
        var paths = (await RoutesAsync()).Select(r => (r.Method, r.Path)).Append(("GET", "api/no/such/route")).ToList();
        using var anyone = api.Anonymous();
        var failures = new List<string>();
        foreach (var (method, path) in paths)
        {
            using var response = await anyone.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);
            var hsts = response.Headers.TryGetValues("Strict-Transport-Security", out var h) ? string.Join(",", h) : null;
            var sniff = response.Headers.TryGetValues("X-Content-Type-Options", out var n) ? string.Join(",", n) : null;
            if (hsts != SecurityHeaders.StrictTransportSecurity || sniff != "nosniff")
            {
                failures.Add($"{method} {path}: {(int)response.StatusCode} hsts={hsts} nosniff={sniff}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>A round drawn and its draw published (confirmed where the balance check held it).</summary>
    private static async Task<Grants.Functions.Tests.Lottery.LotteryScenario.DrawnRound> PublishedDrawAsync(Grants.Functions.Tests.Lottery.LotteryScenario scenario)
    {
        var drawn = await scenario.FrozenRoundAsync();
        await scenario.RevealBothAsync(drawn);
        var status = await (await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct)).ReadDrawAsync(drawn.Ministry);
        if (status.Draw!.HeldForBalance)
        {
            await Grants.Functions.Tests.Lottery.LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/publish", HttpAssertions.Json(new Grants.Contracts.Lottery.ConfirmPublicationRequest("sweep")), Ct));
        }

        return drawn;
    }

    /// <summary>The route templates of the API's own OpenAPI document, with the first role that may call them.</summary>
    private async Task<List<Route>> TemplatesAsync() => [.. (await RoutesAsync()).Select(r => r with { Path = r.Template })];

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
                var filled = System.Text.RegularExpressions.Regex.Replace(path.TrimStart('/'), "\\{([^}]+)\\}", m => (values ?? WellFormed).GetValueOrDefault(m.Groups[1].Value.Split(':')[0]) ?? WellFormed.GetValueOrDefault(m.Groups[1].Value.Split(':')[0]) ?? m.Value);
                routes.Add(new Route(method.ToUpperInvariant(), filled, role, json, ifMatch, path.TrimStart('/')));
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
