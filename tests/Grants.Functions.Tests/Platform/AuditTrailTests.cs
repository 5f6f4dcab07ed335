using System.Net;
using Azure.Data.Tables;
using Grants.Contracts.Audit;
using Grants.Contracts.Schemes;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Platform;

public sealed class AuditTrailTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<SchemeResponse> SchemeWithThreeEventsAsync(HttpClient ministry)
    {
        var (scheme, etag) = await ministry.CreateAsync();
        var rename = new HttpRequestMessage(HttpMethod.Put, $"api/schemes/{scheme.Id}/name") { Content = HttpAssertions.Json(new RenameSchemeRequest("Innovation vouchers 2010")) };
        rename.Headers.TryAddWithoutValidation("If-Match", etag);
        Assert.Equal(HttpStatusCode.OK, (await ministry.SendAsync(rename, Ct)).StatusCode);
        var retire = await ministry.PostAsync($"api/schemes/{scheme.Id}/retire", HttpAssertions.Json(new RetireSchemeRequest("Stopped in 2011")), Ct);
        Assert.Equal(HttpStatusCode.OK, retire.StatusCode);
        return scheme;
    }

    [Fact]
    public async Task TrailListsEveryChangeLinkedByHash()
    {
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker-1");
        var scheme = await SchemeWithThreeEventsAsync(ministry);
        using var auditor = api.As(Roles.Auditor);

        var trail = await (await auditor.GetAsync($"api/audit/{scheme.Id}", Ct)).ReadAsync<AuditTrailResponse>();

        Assert.Equal(["SchemeCreated", "SchemeRenamed", "SchemeRetired"], trail.Events.Select(e => e.Type));
        Assert.Equal([1L, 2L, 3L], trail.Events.Select(e => e.Sequence));
        Assert.All(trail.Events, e => Assert.Equal("beleidsmedewerker-1", e.Actor));
        Assert.Equal(trail.Events[0].Hash, trail.Events[1].PreviousHash);
        Assert.Equal(trail.Events[1].Hash, trail.Events[2].PreviousHash);
        var verification = await (await auditor.GetAsync($"api/audit/{scheme.Id}/verify", Ct)).ReadAsync<AuditVerificationResponse>();
        Assert.True(verification.Intact);
        Assert.Equal(3, verification.EventCount);
    }

    [Fact]
    public async Task VerifyNamesTheFirstTamperedEvent()
    {
        using var ministry = api.As(Roles.Ministry);
        var scheme = await SchemeWithThreeEventsAsync(ministry);
        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        var second = (await table.GetEntityAsync<TableEntity>(scheme.Id, AggregateStore.AuditRowPrefix + "0000000002", cancellationToken: Ct)).Value;
        second["Payload"] = """{"from":"ESF-E","to":"Something nobody decided"}""";
        await table.UpdateEntityAsync(second, second.ETag, TableUpdateMode.Replace, Ct);
        using var auditor = api.As(Roles.Auditor);

        var verification = await (await auditor.GetAsync($"api/audit/{scheme.Id}/verify", Ct)).ReadAsync<AuditVerificationResponse>();

        Assert.False(verification.Intact);
        Assert.Equal(2, verification.FirstBrokenSequence);
        Assert.Contains("hash", verification.Problem);
    }

    [Fact]
    public async Task VerifyDetectsADeletedLastEvent()
    {
        using var ministry = api.As(Roles.Ministry);
        var scheme = await SchemeWithThreeEventsAsync(ministry);
        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        await table.DeleteEntityAsync(scheme.Id, AggregateStore.AuditRowPrefix + "0000000003", cancellationToken: Ct);
        using var auditor = api.As(Roles.Auditor);

        var verification = await (await auditor.GetAsync($"api/audit/{scheme.Id}/verify", Ct)).ReadAsync<AuditVerificationResponse>();

        Assert.False(verification.Intact);
        Assert.Equal(3, verification.FirstBrokenSequence);
    }

    [Fact]
    public async Task UnknownAggregateAnswers404()
    {
        using var auditor = api.As(Roles.Auditor);
        await (await auditor.GetAsync("api/audit/scheme-unknown/verify", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }
}
