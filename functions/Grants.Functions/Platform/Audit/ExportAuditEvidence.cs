using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Platform.Audit;

/// <summary>
/// Every hour: writes the evidence export when one is due — once a UTC day by default
/// (<see cref="AuditExportOptions.Interval"/>) — so that a run that failed is made good within the hour.
/// </summary>
public sealed class ExportAuditEvidence(AuditEvidenceExporter exporter)
{
    [Function(nameof(ExportAuditEvidence))]
    public Task Run([TimerTrigger("0 15 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        exporter.ExportIfDueAsync(cancellationToken);
}
