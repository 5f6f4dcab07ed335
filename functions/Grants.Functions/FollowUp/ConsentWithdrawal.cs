using Grants.Domain.Applications;
using Grants.Domain.FollowUp;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.FollowUp;

/// <summary>
/// An organisation withdraws its consent to the follow-up: the application records it, and every survey
/// of the application is withdrawn — no more mail, answers and addresses erased, nothing in new exports.
/// </summary>
public sealed class ConsentWithdrawal(ApplicationStore applications, SurveyStore surveys, TimeProvider time)
{
    public async Task<IResult> WithdrawAsync(string applicationId, Caller caller, CancellationToken cancellationToken)
    {
        if (await applications.FindAsync(applicationId, cancellationToken) is not { } stored || !ApplicationAccess.MaySee(caller, stored.State))
        {
            return Problems.Of(ProblemKind.NotFound, $"No application {applicationId}.");
        }

        // Repeating the request completes a withdrawal that was interrupted after the application was saved.
        if (stored.State.ConsentWithdrawnAt is null)
        {
            var application = new Application(stored.State);
            application.WithdrawConsent(time.GetUtcNow());
            await applications.SaveAsync(stored, application, caller.AuditName, Change.Of(new PendingAuditEvent("FollowUpConsentWithdrawn", null)), cancellationToken);
        }

        await WithdrawSurveysAsync(applicationId, caller.AuditName, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Withdraws the application's surveys that are not withdrawn yet. The follow-up sweep also withdraws, instead of inviting or reminding, any survey whose application has withdrawn consent.</summary>
    public async Task WithdrawSurveysAsync(string applicationId, string actor, CancellationToken cancellationToken)
    {
        foreach (var current in await surveys.OfApplicationAsync(applicationId, cancellationToken))
        {
            for (var stored = current; stored.State.Status != SurveyStatus.Withdrawn;)
            {
                var survey = new Survey(stored.State);
                survey.Withdraw(time.GetUtcNow());
                try
                {
                    await surveys.SaveAsync(stored, survey, actor, Change.Of(new PendingAuditEvent("SurveyWithdrawn", new { survey.Data.Wave })), cancellationToken);
                    break;
                }
                catch (ConcurrencyConflictException)
                {
                    stored = await surveys.FindAsync(stored.Id, cancellationToken) ?? throw new InvalidOperationException($"Survey {stored.Id} vanished.");
                }
            }
        }
    }
}

[RolesAllowed(Roles.Applicant, Roles.Ministry)]
[ApiOperation("Withdraw the organisation's consent to the follow-up study: no further contact, answers removed from the evaluation", Tag = "Follow-up")]
public sealed class WithdrawFollowUpConsent(RequestGate gate, ConsentWithdrawal withdrawal)
{
    [Function(nameof(WithdrawFollowUpConsent))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/follow-up-consent/withdrawal")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<WithdrawFollowUpConsent>(request, (caller, ct) => withdrawal.WithdrawAsync(applicationId, caller, ct), cancellationToken);
}
