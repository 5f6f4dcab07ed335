using System.Net;
using System.Net.Http.Headers;
using Grants.Contracts.Audit;
using Grants.Contracts.Organisations;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// Each identity provider is trusted only for its own part (docs/decisions/0004): the ministry's
/// Entra ID tenant for staff roles, the organisations' broker for applicants and suppliers and their
/// KvK number; subjects stay in their issuer's namespace. Tokens come from real OIDC issuers over HTTP.
/// </summary>
public sealed class IssuerTrustTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Roles.Ministry)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Notary)]
    [InlineData(Roles.Assessor)]
    public async Task TheBrokerCannotGrantAStaffRole(string role)
    {
        using var broker = Client(api.OrganisationIssuer.Issue(GrantsHost.OrganisationAudience, "sub", $"mallory-{Guid.NewGuid():N}", role, organisation: "12345678"));

        await (await broker.PostAsync("api/schemes", HttpAssertions.Json(SchemeRequests.EsfSocialInnovation()), Ct)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await broker.GetAsync("api/audit/org-12345678", Ct)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await broker.GetAsync("api/assessors/me/assessments", Ct)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory]
    [InlineData(Roles.Applicant)]
    [InlineData(Roles.Supplier)]
    public async Task TheStaffTenantCannotMakeAnyoneActForAnOrganisation(string role)
    {
        var kvk = Kvk();
        using var staff = Client(api.StaffIssuer.Issue(GrantsHost.StaffAudience, "oid", $"oid-{Guid.NewGuid():N}", role, organisation: kvk));

        var response = await staff.PostAsync("api/organisations", HttpAssertions.Json(Registration(kvk)), Ct);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task StaffAreNamedByTheirTenantAndObjectIdAndNeverForAnOrganisation()
    {
        var objectId = Guid.NewGuid().ToString();
        using var ministry = Client(api.StaffIssuer.Issue(GrantsHost.StaffAudience, "oid", objectId, Roles.Ministry, organisation: "12345678"));

        var (scheme, _) = await ministry.CreateAsync();

        var trail = await (await ministry.GetAsync($"api/audit/{scheme.Id}", Ct)).ReadAsync<AuditTrailResponse>();
        Assert.Equal($"staff:{objectId}", trail.Events[0].Actor);
    }

    [Fact]
    public async Task AnApplicantSignedInThroughTheBrokerActsForItsOrganisationUnderTheBrokersNamespace()
    {
        var kvk = Kvk();
        var subject = $"eh-{Guid.NewGuid():N}";
        using var applicant = Client(api.OrganisationIssuer.Issue(GrantsHost.OrganisationAudience, "sub", subject, Roles.Applicant, organisation: kvk));
        using var auditor = api.As(Roles.Auditor);

        Assert.Equal(HttpStatusCode.Created, (await applicant.PostAsync("api/organisations", HttpAssertions.Json(Registration(kvk)), Ct)).StatusCode);

        var trail = await (await auditor.GetAsync($"api/audit/org-{kvk}", Ct)).ReadAsync<AuditTrailResponse>();
        Assert.Equal($"organisations:{subject}@{kvk}", trail.Events[0].Actor);
    }

    [Fact]
    public async Task AnOrganisationThatIsNotAKvkNumberIsNotTrusted()
    {
        using var applicant = Client(api.OrganisationIssuer.Issue(GrantsHost.OrganisationAudience, "sub", $"eh-{Guid.NewGuid():N}", Roles.Applicant, organisation: "../12345678"));

        var response = await applicant.PostAsync("api/organisations", HttpAssertions.Json(Registration("12345678")), Ct);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task TheSameIdempotencyKeyFromTwoIssuersIsTwoRequests()
    {
        var name = $"{Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        using var entra = Client(api.StaffIssuer.Issue(GrantsHost.StaffAudience, "oid", name, Roles.Ministry));
        using var local = api.As(Roles.Ministry, subject: name);
        entra.DefaultRequestHeaders.Add("Idempotency-Key", key);
        local.DefaultRequestHeaders.Add("Idempotency-Key", key);

        var first = await entra.CreateAsync(SchemeRequests.EsfSocialInnovation(name));
        var second = await local.CreateAsync(SchemeRequests.EsfSocialInnovation(name));

        Assert.NotEqual(first.Scheme.Id, second.Scheme.Id);
    }

    [Fact]
    public async Task AStaffTokenIsRefusedWhenSignedWithAnAlgorithmOutsideTheAllowList()
    {
        using var staff = Client(api.StaffIssuer.Issue(GrantsHost.StaffAudience,
            new Dictionary<string, object> { ["oid"] = Guid.NewGuid().ToString(), ["roles"] = new[] { Roles.Ministry } }, SecurityAlgorithms.RsaSha512));

        await (await staff.GetAsync("api/schemes", Ct)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task AStaffTokenForTheApplicationIdUriInsteadOfTheClientIdIsRefused()
    {
        using var staff = Client(api.StaffIssuer.Issue("api://grants-api", "oid", Guid.NewGuid().ToString(), Roles.Ministry));

        await (await staff.GetAsync("api/schemes", Ct)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    private HttpClient Client(string token)
    {
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static string Kvk() => Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static RegisterOrganisationRequest Registration(string kvk) =>
        new(kvk, $"Organisatie {kvk} BV", "industry", "medium", false, "nl", "P. Jansen", GrantBuilders.ContactEmail(kvk));
}
