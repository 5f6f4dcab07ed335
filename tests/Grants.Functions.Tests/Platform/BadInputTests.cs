using System.Net;
using System.Text;
using Grants.Contracts.Schemes;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Platform;

/// <summary>docs/design.md §2.8: every bad request gets a clear problem response and stores nothing.</summary>
public sealed class BadInputTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, HttpStatusCode, string> BadBodies => new()
    {
        { "malformed JSON", """{"name": "Unclosed", """, HttpStatusCode.BadRequest, "malformed-request" },
        { "not an object", """["a list"]""", HttpStatusCode.BadRequest, "malformed-request" },
        { "unknown field", """{"name":"X {m}","instrument":"Voucher","budget":1}""", HttpStatusCode.BadRequest, "malformed-request" },
        { "field twice, the last one harmless", """{"name":"X {m}","instrument":"Loan","instrument":"Voucher"}""", HttpStatusCode.BadRequest, "malformed-request" },
        { "field shadowed in another casing", """{"name":"X {m}","instrument":"Voucher","Instrument":"Loan"}""", HttpStatusCode.BadRequest, "malformed-request" },
        { "field only in another casing", """{"Name":"X {m}","instrument":"Voucher"}""", HttpStatusCode.BadRequest, "malformed-request" },
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

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { """{"name":"X","instrument":"Voucher","budget":1}""", "'budget' is not known" },
        { """{"name":"X","name":"Y","instrument":"Voucher"}""", "'name' appears more than once" },
        { """{"name":"X","Name":"Y","instrument":"Voucher"}""", "'Name' is not known" },
        { """{"instrument":"Voucher"}""", "missing: name" },
        { """{"name":12,"instrument":"Voucher"}""", "'name' has the wrong type" },
        { """{"name":null,"instrument":"Voucher"}""", "'name' must not be null" },
    };

    /// <summary>A 400 names the field as the caller wrote it, not the .NET type the body is read into.</summary>
    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task MalformedBodyIsDescribedInTheCallersTerms(string json, string expected)
    {
        using var ministry = api.As(Roles.Ministry);

        var response = await ministry.PostAsync("api/schemes", HttpAssertions.Json(json), Ct);

        var detail = (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed-request")).GetProperty("detail").GetString()!;
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Grants.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(".NET", detail, StringComparison.Ordinal);
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
