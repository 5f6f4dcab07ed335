using System.Net;
using Grants.Contracts.Schemes;

namespace Grants.Functions.Tests.Infrastructure;

/// <summary>Test-data builders for schemes.</summary>
public static class SchemeRequests
{
    public static CreateSchemeRequest EsfSocialInnovation(string? suffix = null) =>
        new($"ESF-E social innovation {suffix ?? Guid.NewGuid().ToString("N")[..8]}", "ProjectSubsidy", "Project subsidies for workplace innovation.");

    public static async Task<(SchemeResponse Scheme, string ETag)> CreateAsync(this HttpClient ministry, CreateSchemeRequest? request = null)
    {
        var response = await ministry.PostAsync("api/schemes", HttpAssertions.Json(request ?? EsfSocialInnovation()), TestContext.Current.CancellationToken);
        var scheme = await response.ReadAsync<SchemeResponse>(HttpStatusCode.Created);
        return (scheme, response.Headers.ETag!.ToString());
    }
}
