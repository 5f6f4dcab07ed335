using Grants.Domain.Applications;
using Grants.Domain.FollowUp;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Applications;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Grants.Functions.FollowUp;

[RolesAllowed(Roles.Applicant, Roles.Ministry)]
[ApiOperation("Withdraw the organisation's consent to the follow-up study: no further contact, answers removed from the evaluation", Tag = "Follow-up", SuccessStatus = 204)]
public sealed class WithdrawFollowUpConsent(RequestGate gate, WithdrawFollowUpConsentHandler handler)
{
    [Function(nameof(WithdrawFollowUpConsent))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/follow-up-consent/withdrawal")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<WithdrawFollowUpConsent>(request, async (caller, ct) =>
            (await handler.HandleAsync(applicationId, caller, ct)).Respond(_ => TypedResults.NoContent()), cancellationToken);
}

/// <summary>
/// An organisation withdraws its consent to the follow-up: the application records it, and every survey
/// of the application is withdrawn — no more mail, answers and addresses erased, nothing in new exports.
/// </summary>
/// <remarks>
/// The surveys are withdrawn after the application's commit, from what it stored: repeating the request completes a
/// withdrawal that was interrupted after the application was saved. The follow-up sweep also withdraws, instead of
/// inviting or reminding, any survey whose application has withdrawn consent.
/// </remarks>
public sealed class WithdrawFollowUpConsentHandler(CommandExecutor commands, SurveyAccess access, SurveyStore surveys, TimeProvider time, ILogger<WithdrawFollowUpConsentHandler> logger)
{
    public async Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, Caller caller, CancellationToken cancellationToken)
    {
        var withdrawn = await commands.ChangeAsync(access.Applications(caller), applicationId, ifMatch: null, caller.AuditName, stored =>
        {
            if (stored.State.ConsentWithdrawnAt is not null)
            {
                return Commit<ApplicationData>.Unchanged(stored);
            }

            var application = new Application(stored.State);
            application.WithdrawConsent(time.GetUtcNow());
            return ApplicationStore.Commit(application, new PendingAuditEvent("FollowUpConsentWithdrawn", null));
        }, cancellationToken);

        if (withdrawn.Value is not null)
        {
            foreach (var survey in await surveys.OfApplicationAsync(applicationId, cancellationToken))
            {
                await WithdrawAsync(survey.Id, caller.AuditName, cancellationToken);
            }
        }

        return withdrawn;
    }

    /// <summary>Withdraws one survey unless it is withdrawn already; a survey the sweep changed meanwhile is read again.</summary>
    private async Task WithdrawAsync(string surveyId, string actor, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await commands.ChangeAsync(surveys, surveyId, ifMatch: null, actor, stored =>
                {
                    if (stored.State.Status == SurveyStatus.Withdrawn)
                    {
                        return Commit<SurveyData>.Unchanged(stored);
                    }

                    var survey = new Survey(stored.State);
                    survey.Withdraw(time.GetUtcNow());
                    return SurveyStore.Commit(survey, new PendingAuditEvent("SurveyWithdrawn", new { survey.Data.Wave }));
                }, cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < 5)
            {
                logger.LogInformation("Survey {Survey} changed while its consent was withdrawn; reading it again.", surveyId);
            }
        }
    }
}
