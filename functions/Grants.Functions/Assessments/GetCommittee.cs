using Grants.Contracts.Assessments;
using Grants.Domain.Assessments;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Assessments;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("A round's committee, criteria and declared conflicts", Tag = "Assessment", Response = typeof(CommitteeResponse))]
public sealed class GetCommittee(RequestGate gate, CommitteeStore committees)
{
    [Function(nameof(GetCommittee))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/committee")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetCommittee>(request, async (_, ct) =>
            (await committees.OfRoundAsync(roundId, ct) is { } committee ? committee.State : (Result<CommitteeData>)CommitteeStore.NoCommittee(roundId)).Ok(AssessmentResponses.Committee),
            cancellationToken);
}
