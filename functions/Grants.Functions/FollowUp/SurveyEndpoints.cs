using Grants.Contracts.FollowUp;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.FollowUp;

[RolesAllowed(Roles.Applicant, Roles.Ministry)]
[ApiOperation("An application's follow-up surveys per wave, with their respondents (no answers)", Tag = "Follow-up", Response = typeof(IReadOnlyList<SurveyResponse>))]
public sealed class ListApplicationSurveys(RequestGate gate, SurveyHandlers handlers)
{
    [Function(nameof(ListApplicationSurveys))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{applicationId}/surveys")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ListApplicationSurveys>(request, (caller, ct) => handlers.OfApplicationAsync(applicationId, caller, ct), cancellationToken);
}

[RolesAllowed(Roles.Applicant, Roles.Ministry)]
[ApiOperation("Add a respondent to an open follow-up survey (e.g. an employee representative), who is invited at once", Tag = "Follow-up", Request = typeof(AddRespondentRequest), Response = typeof(SurveyResponse))]
public sealed class AddSurveyRespondent(RequestGate gate, SurveyHandlers handlers)
{
    [Function(nameof(AddSurveyRespondent))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "surveys/{surveyId}/respondents")] HttpRequest request,
        string surveyId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<AddSurveyRespondent, AddRespondentRequest>(request, (caller, body, ct) => handlers.AddRespondentAsync(surveyId, body, caller, ct), cancellationToken);
}
