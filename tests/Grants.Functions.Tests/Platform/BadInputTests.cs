using System.Net;
using System.Text;
using Grants.Contracts.Schemes;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Platform;

/// <summary>design.md §2.8: every bad request gets a clear problem response and stores nothing.</summary>
public sealed class BadInputTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, HttpStatusCode, string> BadBodies => new()
    {
        { "malformed JSON", """{"name": "Unclosed", """, HttpStatusCode.BadRequest, "malformed-request" },
        { "not an object", """["a list"]""", HttpStatusCode.BadRequest, "malformed-request" },
        { "unknown field", """{"name":"X {m}","instrument":"Voucher","budget":1}""", HttpStatusCode.BadRequest, "malformed-request" },
        { "wrong type", """{"name":12,"instrument":"Voucher"}""", HttpStatusCode.BadRequest, "malformed-request" },
        { "missing field", """{"instrument":"Voucher"}""", HttpStatusCode.BadRequest, "malformed-request" },
        { "unknown instrument", """{"name":"X {m}","instrument":"Loan"}""", HttpStatusCode.UnprocessableEntity, "validation-failed" },
        { "CR/LF in name", """{"name":"X {m}\r\nBcc: victim@example.org","instrument":"Voucher"}""", HttpStatusCode.UnprocessableEntity, "validation-failed" },
        { "blank name", """{"name":"   ","instrument":"Voucher"}""", HttpStatusCode.UnprocessableEntity, "validation-failed" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task CreateSchemeRefusesBadBodyAndStoresNothing(string because, string json, HttpStatusCode status, string type)
    {
        using var ministry = api.As(Roles.Ministry);
        var marker = Guid.NewGuid().ToString("N");

        var response = await ministry.PostAsync("api/schemes", HttpAssertions.Json(json.Replace("{m}", marker, StringComparison.Ordinal)), Ct);

        await response.AssertProblemAsync(status, type);
        var all = await (await ministry.GetAsync("api/schemes", Ct)).ReadAsync<List<SchemeResponse>>();
        Assert.DoesNotContain(all, s => s.Name.Contains(marker, StringComparison.Ordinal));
        _ = because; // names the case in the test report
    }

    [Fact]
    public async Task WrongContentTypeAnswers415()
    {
        using var ministry = api.As(Roles.Ministry);
        var response = await ministry.PostAsync("api/schemes", new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded"), Ct);
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task OversizedBodyAnswers413()
    {
        using var ministry = api.As(Roles.Ministry);
        var huge = $$"""{"name":"Big","instrument":"Voucher","description":"{{new string('x', 300 * 1024)}}"}""";
        var response = await ministry.PostAsync("api/schemes", HttpAssertions.Json(huge), Ct);
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }

    [Fact]
    public async Task ValidationProblemNamesTheField()
    {
        using var ministry = api.As(Roles.Ministry);
        var response = await ministry.PostAsync("api/schemes", HttpAssertions.Json(new CreateSchemeRequest("ok", "Loan", null)), Ct);
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("instrument", out _));
    }
}
