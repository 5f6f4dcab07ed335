using System.Net;
using Grants.Contracts.Applications;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Applications;

public sealed class ApplicationListingTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> RoundWithFiveApplicationsAsync()
    {
        var round = await api.OpenRoundAsync();
        foreach (var (sector, theme, submit) in new[]
        {
            ("industry", "smarter-working", true), ("industry", "flexible-work-organisation", true), ("care", "flexible-work-organisation", true),
            ("care", "new-relations-at-work", false), ("education", "smarter-working", true),
        })
        {
            using var client = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk(), sector);
            var content = GrantBuilders.Content() with { Themes = [theme] };
            if (submit)
            {
                await client.SubmittedAsync(round.Id, content);
            }
            else
            {
                await client.DraftAsync(round.Id, content);
            }
        }

        return round.Id;
    }

    [Fact]
    public async Task CountsByStatusSectorAndTheme()
    {
        var roundId = await RoundWithFiveApplicationsAsync();
        using var ministry = api.As(Roles.Ministry);

        var counts = await (await ministry.GetAsync($"api/rounds/{roundId}/applications/counts", Ct)).ReadAsync<ApplicationCountsResponse>();

        Assert.Equal(5, counts.Total);
        Assert.Equal(new Dictionary<string, int> { ["Draft"] = 1, ["Submitted"] = 4 }, counts.ByStatus);
        Assert.Equal(new Dictionary<string, int> { ["care"] = 2, ["education"] = 1, ["industry"] = 2 }, counts.BySector);
        Assert.Equal(new Dictionary<string, int> { ["flexible-work-organisation"] = 2, ["new-relations-at-work"] = 1, ["smarter-working"] = 2 }, counts.ByTheme);
    }

    [Fact]
    public async Task FiltersByStatusSectorAndTheme()
    {
        var roundId = await RoundWithFiveApplicationsAsync();
        using var ministry = api.As(Roles.Ministry);

        var submittedCare = await (await ministry.GetAsync($"api/rounds/{roundId}/applications?status=Submitted&sector=care", Ct)).ReadAsync<ApplicationPageResponse>();
        var smarter = await (await ministry.GetAsync($"api/rounds/{roundId}/applications?theme=smarter-working", Ct)).ReadAsync<ApplicationPageResponse>();

        var care = Assert.Single(submittedCare.Items);
        Assert.Equal(("care", "Submitted"), (care.Sector, care.Status));
        Assert.Equal(2, smarter.Items.Count);
        Assert.All(smarter.Items, a => Assert.Contains("smarter-working", a.Themes));
    }

    [Fact]
    public async Task PagesWithContinuationTokensCoverEveryApplicationOnce()
    {
        var roundId = await RoundWithFiveApplicationsAsync();
        using var ministry = api.As(Roles.Ministry);
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = $"api/rounds/{roundId}/applications?pageSize=2" + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}");
            var page = await (await ministry.GetAsync(url, Ct)).ReadAsync<ApplicationPageResponse>();
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(a => a.Id));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(5, seen.Count);
        Assert.Equal(5, seen.Distinct().Count());
        Assert.True(pages >= 3);
    }

    [Theory]
    [InlineData("status=Pending")]
    [InlineData("status=1")]
    [InlineData("status=submitted")]
    [InlineData("status=Draft&status=Submitted")]
    [InlineData("pageSize=%2B5")]
    [InlineData("sector=retail")]
    [InlineData("pageSize=0")]
    [InlineData("pageSize=100000")]
    public async Task BadFilterAnswers422(string query)
    {
        var round = await api.OpenRoundAsync();
        using var ministry = api.As(Roles.Ministry);
        await (await ministry.GetAsync($"api/rounds/{round.Id}/applications?{query}", Ct)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
    }
}
