using Grants.Contracts.Assessments;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Assessments;

[RolesAllowed(Roles.Assessor)]
[ApiOperation("Declare your conflict of interest with an organisation or application; assigned work you have not scored moves to a colleague", Tag = "Assessment", Request = typeof(DeclareConflictRequest), Response = typeof(CommitteeResponse))]
public sealed class DeclareConflict(RequestGate gate, AssessmentHandlers handler)
{
    [Function(nameof(DeclareConflict))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/committee/conflicts")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<DeclareConflict, DeclareConflictRequest>(request, (caller, body, ct) => handler.DeclareConflictAsync(roundId, body, caller, ct), cancellationToken);
}
