using System.Net;
using System.Net.Http.Headers;
using Grants.Contracts.Applications;
using Grants.Contracts.Organisations;
using Grants.Domain.Applications;
using Grants.Domain.Auditing;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Reliability;

/// <summary>
/// Commands under storage faults (10% of calls fail before sending, 10% lose their response after the
/// service committed), 32 requests in flight. Clients retry what was not acknowledged with the same
/// Idempotency-Key; afterwards storage is read with the faults off: everything acknowledged is
/// there, exactly once.
/// </summary>
public sealed class FaultInjectionTests(FaultyGrantsApi api) : IClassFixture<FaultyGrantsApi>
{
    private const double FailBeforeSend = 0.10;
    private const double LoseResponse = 0.10;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EverySubmissionUnderFaultsIsStoredExactlyOnce()
    {
        var round = await api.OpenRoundAsync();
        var kvks = Enumerable.Range(0, ReliabilitySize.Submissions).Select(_ => GrantBuilders.NewKvk()).ToList();
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, ApplicationResponse>();
        var attempts = 0L;

        api.Faults.ResetCounts();
        api.Faults.Inject(FailBeforeSend, LoseResponse);
        try
        {
            await Parallel.ForEachAsync(kvks, new ParallelOptions { MaxDegreeOfParallelism = ReliabilitySize.InFlight, CancellationToken = Ct }, async (kvk, _) =>
            {
                using var applicant = api.As(Roles.Applicant, organisation: kvk, subject: $"user-{kvk}");
                var registered = await applicant.PostAsync("api/organisations", new RegisterOrganisationRequest(
                    kvk, $"Organisatie {kvk} BV", "industry", "medium", false, "nl", "P. Jansen", GrantBuilders.ContactEmail(kvk)), $"register-{kvk}");
                Assert.True(registered.Status == HttpStatusCode.Created, registered.Body);
                var started = await applicant.PostAsync($"api/rounds/{round.Id}/applications", new StartApplicationRequest(GrantBuilders.Content()), $"start-{kvk}");
                Assert.True(started.Status == HttpStatusCode.Created, started.Body);
                var id = started.Json.GetProperty("id").GetString()!;
                var plan = await applicant.SendAsync(() => Upload(id, "project-plan", "projectplan.pdf"));
                Assert.True(plan.Succeeded, plan.Body);
                var budget = await applicant.SendAsync(() => Upload(id, "budget", "begroting.pdf"));
                Assert.True(budget.Succeeded, budget.Body);
                var submitted = await applicant.PostAsync($"api/applications/{id}/submit", null, $"submit-{kvk}");
                Assert.True(submitted.Status == HttpStatusCode.OK, submitted.Body);
                acknowledged[kvk] = System.Text.Json.JsonSerializer.Deserialize<ApplicationResponse>(submitted.Body, System.Text.Json.JsonSerializerOptions.Web)!;
                Interlocked.Add(ref attempts, registered.Attempts + started.Attempts + plan.Attempts + budget.Attempts + submitted.Attempts);
            });
        }
        finally
        {
            api.Faults.Inject(0, 0);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{kvks.Count} submissions: {api.Faults.Calls} storage calls, {api.Faults.FailedBeforeSend} failed before sending, {api.Faults.LostResponses} lost responses; {attempts} HTTP attempts for {5 * kvks.Count} requests; sent again after: {string.Join(", ", RetryingClient.Retried.Select(r => $"{r.Key} ×{r.Value}"))}");
        Assert.True(api.Faults.FailedBeforeSend > 0.05 * api.Faults.Calls && api.Faults.LostResponses > 0.05 * api.Faults.Calls, "the faults were injected");

        // With the faults off: every acknowledged submission is stored, once, complete, with one receipt mail.
        var store = new AggregateStore(api.Storage(), TimeProvider.System);
        var stored = await store.QueryAsync<ApplicationData>(ApplicationStore.AggregateType, $"ix_RoundId eq {round.Id}", Ct);
        Assert.Equal(kvks.Count, acknowledged.Count);
        Assert.Equal(kvks.Count, stored.Count);
        Assert.Equal(acknowledged.Values.Select(a => a.Id).Order(), stored.Select(a => a.Id).Order());
        Assert.All(stored, a => Assert.Equal(ApplicationStatus.Submitted, a.State.Status));
        Assert.All(stored, a => Assert.Equal(2, a.State.Attachments.Count));
        Assert.Equal(kvks.Count, stored.Select(a => a.State.ReceiptNumber).Distinct().Count());
        Assert.All(stored, a => Assert.Equal(acknowledged[a.State.Applicant.Kvk].ReceiptNumber, a.State.ReceiptNumber));

        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        await Parallel.ForEachAsync(stored, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (application, ct) =>
        {
            var trail = await store.AuditTrailAsync(application.Id, ct);
            Assert.True(AuditChain.Verify(trail, application.AuditSequence, application.AuditHead).IsIntact, application.Id);
            Assert.Single(trail, e => e.Type == "ApplicationStarted");
            Assert.Single(trail, e => e.Type == "ApplicationSubmitted");
            var mail = 0;
            await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>(
                Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {application.Id} and RowKey gt {AggregateStore.OutboxRowPrefix} and RowKey lt {AggregateStore.OutboxRowPrefix + "~"}"),
                select: ["RowKey"], cancellationToken: ct))
            {
                mail++;
            }

            Assert.Equal(1, mail);
        });
    }

    private static HttpRequestMessage Upload(string applicationId, string kind, string fileName)
    {
        var content = new ByteArrayContent(TestPdf.Create(4_000));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        return new HttpRequestMessage(HttpMethod.Put, $"api/applications/{applicationId}/attachments/{kind}?fileName={Uri.EscapeDataString(fileName)}") { Content = content };
    }
}
