using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Domain.Organisations;
using Grants.Domain.Rounds;
using Grants.Functions.Organisations;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

[RolesAllowed(Roles.Applicant)]
[ApiOperation("Start your organisation's application in an open round (one per organisation per round)", Tag = "Applications", Request = typeof(StartApplicationRequest), Response = typeof(ApplicationResponse), SuccessStatus = 201, ReturnsETag = true)]
public sealed class StartApplication(RequestGate gate, StartApplicationHandler handler)
{
    [Function(nameof(StartApplication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/applications")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunCreateAsync<StartApplication, StartApplicationRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(roundId, body, caller, ct)).Created(ApplicationResponses.Location, ApplicationResponses.From), cancellationToken);
}

/// <summary>
/// Starts the caller's organisation's draft in an open round. The round and the organisation may be read a moment
/// old: a draft started just after its round closed can never be submitted (submission reads the round from
/// storage), and the organisation's details are only copied into the draft. The id derives from round and
/// organisation, so the create carries the Idempotency-Key itself (<see cref="RequestGate.RunCreateAsync"/>).
/// </summary>
public sealed class StartApplicationHandler(CommandExecutor commands, ApplicationStore applications, RoundStore rounds, OrganisationStore organisations, TimeProvider time)
{
    public async Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string roundId, StartApplicationRequest request, Caller caller, CancellationToken cancellationToken)
    {
        // Both reads at once: under a rush a submission's latency is its storage round trips end to end.
        var roundRead = rounds.FindRecentAsync(roundId, cancellationToken);
        var organisationRead = organisations.FindRecentAsync(caller.Organisation!, cancellationToken);
        await Task.WhenAll(roundRead, organisationRead);
        if (await roundRead is not { } round)
        {
            return RoundStore.NotFound(roundId);
        }

        var id = Application.IdFor(roundId, caller.Organisation!);
        var now = time.GetUtcNow();
        // A retry of a start that committed before the round closed answers with that application, not with the closed round
        // (whether the round accepts applications is the draft's own rule: Application.Start refuses otherwise).
        if (!new Round(round.State).AcceptsApplications(now) && await applications.FindOwnCreationAsync(id, cancellationToken) is { } own)
        {
            return own;
        }

        if (await organisationRead is not { State: var o })
        {
            return new Failure(ProblemKind.OrganisationNotRegistered, $"Register organisation {caller.Organisation} (POST /api/organisations) before applying.");
        }

        var started = await commands.CreateAsync(applications, id, caller.AuditName, () =>
        {
            var application = Application.Start(Organisation.Applicant(o), round.State, now);
            if (request.Content is { } content)
            {
                application.Edit(ApplicationContents.ToDomain(content), round.State.Configuration);
            }

            return new Commit<ApplicationData>(application.Data, application.Data.Status.ToString(),
                Change.Of(new PendingAuditEvent("ApplicationStarted", new { roundId, kvk = o.Kvk })), ApplicationStore.Index(application.Data));
        }, cancellationToken);

        return started.Failure?.Kind == ProblemKind.AlreadyExists
            ? new Failure(ProblemKind.AlreadyExists, $"Organisation {o.Kvk} already has an application in this round: {id}. One application per organisation per round.",
                new Dictionary<string, object?> { ["applicationId"] = id })
            : started;
    }
}
