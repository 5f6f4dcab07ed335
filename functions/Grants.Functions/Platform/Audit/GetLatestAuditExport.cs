using Grants.Contracts.Audit;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Platform.Audit;

/// <summary>The latest complete evidence export, for an auditor to note its manifest's hash and fetch its files from the evidence account.</summary>
[RolesAllowed(Roles.Auditor)]
[ApiOperation("Describe the latest complete evidence export: its parts with their counts and SHA-256, and the SHA-256 of its manifest", Tag = "Audit", Response = typeof(AuditExportResponse))]
public sealed class GetLatestAuditExport(RequestGate gate, AuditExportStore exports)
{
    [Function(nameof(GetLatestAuditExport))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "audit/exports/latest")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetLatestAuditExport>(request, async (_, ct) =>
            await exports.LatestAsync(ct) is { } latest
                ? TypedResults.Ok(new AuditExportResponse(ContainerNames.AuditExports, latest.Manifest.Export, latest.Manifest.ExportedAt, latest.ManifestSha256, latest.Manifest.Parts))
                : Problems.Of(ProblemKind.NotFound, "No evidence export has been completed yet."), cancellationToken);
}
