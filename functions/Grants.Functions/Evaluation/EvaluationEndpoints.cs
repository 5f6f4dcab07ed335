using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Evaluation;

[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("The round's effect evaluation: deadweight, effects and corrections per wave (schema: contracts/schemas/evaluation-report.schema.json)", Tag = "Evaluation", ResponseMediaType = "application/json")]
public sealed class GetEvaluation(RequestGate gate, EvaluationHandlers handlers)
{
    [Function(nameof(GetEvaluation))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/evaluation")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetEvaluation>(request, (_, ct) => handlers.ReportAsync(roundId, ct), cancellationToken);
}

[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("The round's effect evaluation as a self-contained HTML report", Tag = "Evaluation", ResponseMediaType = "text/html")]
public sealed class GetEvaluationPage(RequestGate gate, EvaluationHandlers handlers)
{
    [Function(nameof(GetEvaluationPage))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/evaluation.html")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetEvaluationPage>(request, (_, ct) => handlers.ReportPageAsync(roundId, ct), cancellationToken);
}

/// <summary>A zip: units.csv, respondents.csv, datapackage.json, design.json, consort.json, the lottery protocol and replicate.py. Pseudonymous ids only.</summary>
[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("Download the evaluator export of a round (zip; re-run with grants evaluate)", Tag = "Evaluation", ResponseMediaType = "application/zip")]
public sealed class GetEvaluationExport(RequestGate gate, EvaluationHandlers handlers)
{
    [Function(nameof(GetEvaluationExport))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/evaluation/export")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetEvaluationExport>(request, (_, ct) => handlers.ExportAsync(roundId, ct), cancellationToken);
}
