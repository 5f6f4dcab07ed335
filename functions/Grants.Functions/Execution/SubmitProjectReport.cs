using Grants.Contracts.Execution;
using Grants.Domain.Execution;
using Grants.Functions.Applications.Attachments;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Execution;

/// <summary>Body: the report as a PDF. Query: <c>actualCostsCents</c> (final report).</summary>
[RolesAllowed(Roles.Applicant)]
[ApiOperation("Submit the progress or final report (PDF body); the final report states its actual costs", Tag = "Execution", Response = typeof(GrantResponse), ReturnsETag = true, Query = "actualCostsCents")]
public sealed class SubmitProjectReport(RequestGate gate, SubmitProjectReportHandler handler)
{
    [Function(nameof(SubmitProjectReport))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "grants/{grantId}/reports/{kind}")] HttpRequest request, string grantId, string kind, CancellationToken cancellationToken) =>
        gate.RunAsync<SubmitProjectReport>(request, async (caller, ct) =>
        {
            long? costs = null;
            if (request.Query.ContainsKey("actualCostsCents"))
            {
                if (!long.TryParse(request.Query["actualCostsCents"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                {
                    return Problems.Validation(new Dictionary<string, string[]> { ["actualCostsCents"] = ["must be a whole number of cents"] });
                }

                costs = parsed;
            }

            return (await handler.HandleAsync(grantId, kind, costs, new FileUpload(request.Body, request.ContentLength), caller, ct)).Ok(GrantResponses.From);
        }, cancellationToken);
}

/// <summary>The grantee's progress or final report: checked first, so that a refused report leaves no file behind; stored; then recorded on the grant.</summary>
public sealed class SubmitProjectReportHandler(AggregateStore store, GrantStore grants, AttachmentStore files, TimeProvider time)
{
    public async Task<Result<StoredAggregate<GrantData>>> HandleAsync(string grantId, string kind, long? costs, FileUpload upload, Caller caller, CancellationToken cancellationToken)
    {
        if (await grants.FindAsync(grantId, cancellationToken) is not { } stored || caller.Organisation != stored.State.HolderKvk || !caller.HasRole(Roles.Applicant))
        {
            return Failure.NotFound(grants.NotFoundDetail(grantId));
        }

        var grant = new GrantAgreement(stored.State);
        if (kind is not (ReportKinds.Progress or ReportKinds.Final) || (kind == ReportKinds.Final && costs is null))
        {
            return Failure.Invalid(new Dictionary<string, string[]> { [kind is ReportKinds.Final ? "actualCostsCents" : "kind"] = [kind is ReportKinds.Final ? "the final report states the actual costs" : "must be progress or final"] });
        }

        if (!grant.CanSubmit(kind))
        {
            throw new Domain.Common.InvalidTransitionException("grant", stored.State.Status.ToString(), $"take a {kind} report for");
        }

        var uploaded = await files.UploadAsync(grantId, $"report-{kind}", upload, cancellationToken);
        if (uploaded.Failure is { } refused)
        {
            return refused;
        }

        var file = uploaded.Value!;
        try
        {
            grant.SubmitReport(kind, file.BlobName, file.Sha256, costs, time.GetUtcNow());
            return await store.UpdateAsync(stored, grant.Data.Status.ToString(), grant.Data, caller.AuditName, Change.Of(new PendingAuditEvent("ReportSubmitted", new { kind, file.Sha256, costs })), cancellationToken);
        }
        catch
        {
            // The report was not recorded (e.g. the deadline timer saved the grant meanwhile): no orphaned file.
            await files.DeleteAsync(file.BlobName);
            throw;
        }
    }
}
