using Grants.Contracts.Assessments;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Assessments;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Constitute or change a round's assessment committee: chair, members, criteria with scales and weights, pass threshold", Tag = "Assessment", Request = typeof(SetCommitteeRequest), Response = typeof(CommitteeResponse))]
public sealed class SetCommittee(RequestGate gate, AssessmentHandlers handler)
{
    [Function(nameof(SetCommittee))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "rounds/{roundId}/committee")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<SetCommittee, SetCommitteeRequest>(request, (caller, body, ct) => handler.SetCommitteeAsync(roundId, body, caller, ct), cancellationToken);
}
