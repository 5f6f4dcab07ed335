using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Platform;

/// <summary>The check every test client runs on every response refuses what the document does not declare.</summary>
public sealed class ApiContractTests
{
    private static readonly Uri Scheme = new("http://localhost/api/schemes/scheme-0123456789abcdef0123456789abcdef");

    [Fact]
    public void AStatusTheOperationDoesNotDeclareIsAViolation()
    {
        var violations = ApiContract.Check(HttpMethod.Get, Scheme, 409, "application/problem+json", Problem("concurrency-conflict", 409));

        Assert.Contains(violations, v => v.Contains("GetScheme", StringComparison.Ordinal) && v.Contains("409", StringComparison.Ordinal));
    }

    [Fact]
    public void AProblemTypeNotDeclaredAtThatStatusIsAViolation()
    {
        Assert.Empty(ApiContract.Check(HttpMethod.Get, Scheme, 404, "application/problem+json", Problem("not-found", 404)));
        Assert.NotEmpty(ApiContract.Check(HttpMethod.Get, Scheme, 404, "application/problem+json", Problem("already-exists", 404)));
    }

    [Fact]
    public void ABodyOfAnotherShapeIsAViolation()
    {
        Assert.NotEmpty(ApiContract.Check(HttpMethod.Get, Scheme, 200, "application/json", """{"id": 7}"""));
        Assert.NotEmpty(ApiContract.Check(HttpMethod.Get, new Uri("http://localhost/api/schemes"), 200, "application/json", """{"items": []}"""));
    }

    [Fact]
    public void ARouteNoOperationServesIsNotJudged()
    {
        Assert.Empty(ApiContract.Check(HttpMethod.Get, new Uri("http://localhost/api/no-such-route"), 404, "application/problem+json", Problem("route-not-found", 404)));
    }

    private static string Problem(string slug, int status) =>
        $$"""{"type": "urn:grants:problem:{{slug}}", "title": "t", "status": {{status}}, "traceId": "0af7651916cd43dd8448eb211c80319c"}""";
}
