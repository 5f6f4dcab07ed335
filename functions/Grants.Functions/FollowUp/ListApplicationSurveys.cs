using Grants.Contracts.FollowUp;
using Grants.Domain.FollowUp;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.FollowUp;

[RolesAllowed(Roles.Applicant, Roles.Ministry)]
[ApiOperation("An application's follow-up surveys per wave, with their respondents (no answers)", Tag = "Follow-up", Response = typeof(IReadOnlyList<SurveyResponse>))]
public sealed class ListApplicationSurveys(RequestGate gate, ListApplicationSurveysHandler handler)
{
    [Function(nameof(ListApplicationSurveys))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{applicationId}/surveys")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ListApplicationSurveys>(request, async (caller, ct) =>
            (await handler.HandleAsync(applicationId, caller, ct)).Ok(surveys => surveys.Select(s => SurveyResponses.From(s.State)).ToList()), cancellationToken);
}

/// <summary>An organisation's (or the ministry's) view of an application's follow-up surveys, by wave.</summary>
public sealed class ListApplicationSurveysHandler(SurveyAccess access, SurveyStore surveys)
{
    public async Task<Result<IReadOnlyList<StoredAggregate<SurveyData>>>> HandleAsync(string applicationId, Caller caller, CancellationToken cancellationToken)
    {
        var applications = access.Applications(caller);
        if (await applications.FindAsync(applicationId, cancellationToken) is null)
        {
            return Failure.NotFound(applications.NotFoundDetail(applicationId));
        }

        return (await surveys.OfApplicationAsync(applicationId, cancellationToken)).OrderBy(s => s.State.Wave).ToList();
    }
}
