using System.Net;
using System.Net.Http.Headers;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;
using Grants.LocalHost.Identity;

namespace Grants.Functions.Tests.Platform;

public sealed class AccessTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProtectedRouteAnswers401ProblemGivenNoToken()
    {
        using var client = api.Anonymous();
        var response = await client.GetAsync("api/schemes", Ct);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task ProtectedRouteAnswers401GivenTokenSignedWithAnotherKey()
    {
        var stranger = new AuthOptions { DevelopmentSigningKey = DevelopmentTokens.NewSigningKey() };
        using var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DevelopmentTokens.Issue(stranger, "mallory", Roles.Ministry, null, DateTimeOffset.UtcNow, TimeSpan.FromHours(1)));
        await (await client.GetAsync("api/schemes", Ct)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task ProtectedRouteAnswers401GivenExpiredToken()
    {
        using var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            api.Token(Roles.Ministry, now: DateTimeOffset.UtcNow.AddHours(-3), lifetime: TimeSpan.FromHours(1)));
        await (await client.GetAsync("api/schemes", Ct)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task ProtectedRouteAnswers401GivenNonBearerScheme()
    {
        using var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "bWluaXN0cnk6c2VjcmV0");
        await (await client.GetAsync("api/schemes", Ct)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Theory]
    [InlineData(Roles.Applicant)]
    [InlineData(Roles.Assessor)]
    [InlineData(Roles.Supplier)]
    [InlineData(Roles.Auditor)]
    public async Task CreateSchemeAnswers403ProblemGivenRoleOtherThanMinistry(string role)
    {
        using var client = api.As(role, organisation: "12345678");
        var response = await client.PostAsync("api/schemes", HttpAssertions.Json(SchemeRequests.EsfSocialInnovation()), Ct);
        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task AuditTrailAnswers403GivenApplicant()
    {
        using var ministry = api.As(Roles.Ministry);
        var (scheme, _) = await ministry.CreateAsync();
        using var applicant = api.As(Roles.Applicant, organisation: "12345678");
        await (await applicant.GetAsync($"api/audit/{scheme.Id}", Ct)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task ApplicantTokenWithoutOrganisationCarriesNoApplicantRights()
    {
        using var client = api.As(Roles.Applicant, organisation: null);
        await (await client.GetAsync("api/schemes", Ct)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory]
    [InlineData("GET", "api/no-such-thing")]
    [InlineData("POST", "api/schemes/x/y/z")]
    [InlineData("DELETE", "api/health/deep")]
    public async Task UnknownRouteAnswers404Problem(string method, string path)
    {
        using var client = api.Anonymous();
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "route-not-found");
    }

    [Fact]
    public async Task UnknownSchemeAnswers404Problem()
    {
        using var client = api.As(Roles.Ministry);
        await (await client.GetAsync("api/schemes/scheme-00000000000000000000000000000000", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task HealthIsAnonymousAndReportsStorageReachable()
    {
        using var client = api.Anonymous();
        var health = await (await client.GetAsync("api/health", Ct)).ReadAsync<Contracts.Health.HealthResponse>();
        Assert.Equal("healthy", health.Status);
        Assert.Equal("reachable", health.Storage);
        Assert.False(string.IsNullOrWhiteSpace(health.Version));
    }
}
