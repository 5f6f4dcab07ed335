using Grants.Contracts.Execution;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Execution;

[RolesAllowed(Roles.Applicant, Roles.Ministry, Roles.Auditor)]
[ApiOperation("The grant of an accepted project subsidy: advances, reports and settlement", Tag = "Execution", Response = typeof(GrantResponse), ReturnsETag = true)]
public sealed class GetApplicationGrant(RequestGate gate, GrantHandlers handlers)
{
    [Function(nameof(GetApplicationGrant))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{applicationId}/grant")] HttpRequest request, string applicationId, CancellationToken cancellationToken) =>
        gate.RunAsync<GetApplicationGrant>(request, (caller, ct) => handlers.OfApplicationAsync(applicationId, caller, ct), cancellationToken);
}

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Pay a scheduled advance through the round's ledger", Tag = "Execution", Response = typeof(GrantResponse), ReturnsETag = true)]
public sealed class PayAdvance(RequestGate gate, GrantHandlers handlers)
{
    [Function(nameof(PayAdvance))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "grants/{grantId}/advances/{advanceId}/pay")] HttpRequest request, string grantId, string advanceId, CancellationToken cancellationToken) =>
        gate.RunAsync<PayAdvance>(request, (caller, ct) => handlers.PayAdvanceAsync(grantId, advanceId, caller, ct), cancellationToken);
}

/// <summary>Body: the report as a PDF. Query: <c>actualCostsCents</c> (final report).</summary>
[RolesAllowed(Roles.Applicant)]
[ApiOperation("Submit the progress or final report (PDF body); the final report states its actual costs", Tag = "Execution", Response = typeof(GrantResponse), ReturnsETag = true, Query = "actualCostsCents")]
public sealed class SubmitProjectReport(RequestGate gate, GrantHandlers handlers)
{
    [Function(nameof(SubmitProjectReport))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "grants/{grantId}/reports/{kind}")] HttpRequest request, string grantId, string kind, CancellationToken cancellationToken) =>
        gate.RunAsync<SubmitProjectReport>(request, (caller, ct) => handlers.SubmitReportAsync(grantId, kind, request, caller, ct), cancellationToken);
}

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Settle the grant (vaststelling) on the eligible costs: final payment or recovery of the advance, booked in the ledger", Tag = "Execution", Request = typeof(SettleGrantRequest), Response = typeof(GrantResponse), ReturnsETag = true)]
public sealed class SettleGrant(RequestGate gate, GrantHandlers handlers)
{
    [Function(nameof(SettleGrant))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "grants/{grantId}/settlement")] HttpRequest request, string grantId, CancellationToken cancellationToken) =>
        gate.RunAsync<SettleGrant, SettleGrantRequest>(request, (caller, body, ct) => handlers.SettleAsync(grantId, body, caller, ct), cancellationToken);
}

/// <summary>Every morning: reminders before report deadlines and overdue reports flagged.</summary>
public sealed class WatchReportDeadlines(GrantHandlers handlers)
{
    [Function(nameof(WatchReportDeadlines))]
    public Task Run([TimerTrigger("0 0 7 * * *")] TimerInfo timer, CancellationToken cancellationToken) => handlers.WatchDeadlinesAsync(cancellationToken);
}
