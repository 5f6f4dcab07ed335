using Azure;
using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Domain.Rounds;
using Grants.Functions.Applications.Attachments;
using Grants.Functions.Notifications;
using Grants.Functions.Organisations;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Applications;

/// <summary>The applicant's and the ministry's commands on an application. Each loads, acts on the aggregate, and saves with its audit event and mail.</summary>
public sealed class ApplicationHandlers(ApplicationStore applications, RoundStore rounds, OrganisationStore organisations, AttachmentStore files, Lottery.ReserveList cutoff, TimeProvider time)
{
    /// <remarks>
    /// The round and the organisation may be read a moment old: a draft started just after its round
    /// closed can never be submitted (submission reads the round from storage), and the organisation's
    /// details are only copied into the draft. The id derives from round and organisation, so the
    /// create carries the Idempotency-Key itself (<see cref="RequestGate.RunCreateAsync"/>).
    /// </remarks>
    public async Task<IResult> StartAsync(string roundId, StartApplicationRequest request, Caller caller, CancellationToken cancellationToken)
    {
        // Both reads at once: under a rush a submission's latency is its storage round trips end to end.
        var roundRead = rounds.FindRecentAsync(roundId, cancellationToken);
        var organisationRead = organisations.FindRecentAsync(caller.Organisation!, cancellationToken);
        await Task.WhenAll(roundRead, organisationRead);
        if (await roundRead is not { } round)
        {
            return ResultResponses.Problem(RoundStore.NotFound(roundId));
        }

        var now = time.GetUtcNow();
        if (new Round(round.State).WhyClosedFor(now) is { } closed)
        {
            return await StartedEarlierAsync(roundId, caller, cancellationToken) ?? Problems.Of(ProblemKind.RoundNotOpen, closed);
        }

        if (await organisationRead is not { } organisation)
        {
            return Problems.Of(ProblemKind.OrganisationNotRegistered, $"Register organisation {caller.Organisation} (POST /api/organisations) before applying.");
        }

        if (organisation.State.PersonalDataErasedAt is not null)
        {
            return Problems.Of(ProblemKind.OrganisationNotRegistered, $"The contact details of organisation {caller.Organisation} were erased after years without activity; register it again (POST /api/organisations) before applying.");
        }

        var o = organisation.State;
        var application = Application.Start(roundId, new ApplicantSnapshot(o.Kvk, o.LegalName, o.Sector, o.SizeClass, o.IsPublic, o.PreferredLanguage, o.ContactEmail),
            round.State.Configuration.Version, now);
        if (request.Content is { } content)
        {
            application.Edit(ApplicationStore.ToDomain(content));
        }

        StoredAggregate<ApplicationData> stored;
        try
        {
            stored = await applications.CreateAsync(application, caller.AuditName, Change.Of(new PendingAuditEvent("ApplicationStarted", new { roundId, kvk = o.Kvk })), cancellationToken);
        }
        catch (AggregateExistsException)
        {
            return Problems.Of(ProblemKind.AlreadyExists, $"Organisation {o.Kvk} already has an application in this round: {application.Data.Id}. One application per organisation per round.",
                new Dictionary<string, object?> { ["applicationId"] = application.Data.Id });
        }

        return Started(stored);
    }

    /// <summary>A retry of a start that committed before the round closed answers with that application, not with the closed round.</summary>
    private async Task<IResult?> StartedEarlierAsync(string roundId, Caller caller, CancellationToken cancellationToken) =>
        await applications.FindOwnCreationAsync(Application.IdFor(roundId, caller.Organisation!), cancellationToken) is { } own ? Started(own) : null;

    private static IResult Started(StoredAggregate<ApplicationData> stored) =>
        TypedResults.Created($"/api/applications/{stored.Id}", ApplicationStore.ToResponse(stored)).WithETag(stored.ETag);

    public async Task<IResult> EditAsync(string applicationId, ETag ifMatch, EditApplicationRequest request, Caller caller, CancellationToken cancellationToken) =>
        await OwnedAsync(applicationId, caller, cancellationToken) is not { } stored ? ApplicationStore.NotFound(applicationId)
        : stored.ETag != ifMatch ? throw new ConcurrencyConflictException(applicationId)
        : await SaveAsync(stored, caller, a =>
        {
            a.Edit(ApplicationStore.ToDomain(request.Content));
            return Change.Of(new PendingAuditEvent("ApplicationEdited", a.Data.Content));
        }, cancellationToken);

    public async Task<IResult> SubmitAsync(string applicationId, Caller caller, CancellationToken cancellationToken)
    {
        if (await OwnedAsync(applicationId, caller, cancellationToken) is not { } stored)
        {
            return ApplicationStore.NotFound(applicationId);
        }

        var round = await rounds.FindAsync(stored.State.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {stored.State.RoundId} vanished.");
        var now = time.GetUtcNow();
        if (!stored.WrittenByCurrentOperation && new Round(round.State).WhyClosedFor(now) is { } closed)
        {
            return Problems.Of(ProblemKind.RoundNotOpen, closed); // a retry of a submission made in time is answered below, closed or not
        }

        return await SaveAsync(stored, caller, a =>
        {
            a.Submit(round.State.Configuration, now);
            return Change.Of(new PendingAuditEvent("ApplicationSubmitted", new { a.Data.ReceiptNumber, a.Data.SubmittedAt, a.Data.AutomaticFindings }),
                ApplicantMail.Receipt(a.Data, round.State.Name));
        }, cancellationToken);
    }

    public async Task<IResult> WithdrawAsync(string applicationId, WithdrawApplicationRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (await OwnedAsync(applicationId, caller, cancellationToken) is not { } stored)
        {
            return ApplicationStore.NotFound(applicationId);
        }

        var drawn = stored.State.Status is ApplicationStatus.Selected or ApplicationStatus.Reserve;
        var result = await SaveAsync(stored, caller, a =>
        {
            a.Withdraw(request.Reason, time.GetUtcNow());
            return Change.Of(new PendingAuditEvent("ApplicationWithdrawn", new { reason = a.Data.WithdrawalReason }));
        }, cancellationToken);
        if (drawn)
        {
            // Its place goes to the next on the published reserve list, and its budget back to the round.
            await cutoff.ReleaseWithdrawnAsync(stored.State, caller, cancellationToken);
        }

        return result;
    }

    public async Task<IResult> AttachAsync(string applicationId, string kind, HttpRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (!AttachmentKinds.All.Contains(kind))
        {
            return Problems.Of(ProblemKind.NotFound, $"Attachments are {string.Join(" and ", AttachmentKinds.All)}.");
        }

        if (await OwnedAsync(applicationId, caller, cancellationToken) is not { } stored)
        {
            return ApplicationStore.NotFound(applicationId);
        }

        if (!new Application(stored.State).CanAttach)
        {
            throw new Domain.Common.InvalidTransitionException("application", stored.State.Status.ToString(), "add files to");
        }

        var upload = await files.UploadAsync(applicationId, kind, new FileUpload(request.Body, request.ContentLength), cancellationToken);
        if (upload.Failure is { } refused)
        {
            return ResultResponses.Problem(refused);
        }

        var file = upload.Value!;

        var attachment = new Attachment(kind, file!.BlobName, FileNames.Sanitise(request.Query["fileName"], $"{kind}.pdf"), file.MediaType, file.Size, file.Sha256, time.GetUtcNow());
        Change Attach(Application a)
        {
            a.Attach(attachment);
            return Change.Of(new PendingAuditEvent("AttachmentAdded", attachment));
        }

        // The bytes are stored; a concurrent edit must not make the client upload them again.
        return await applications.UpdateWithRetryAsync(applicationId, a => a.CanAttach, Attach, caller.AuditName, cancellationToken) is { } saved
            ? TypedResults.Ok(ApplicationStore.ToResponse(saved)).WithETag(saved.ETag)
            : Problems.Of(ProblemKind.InvalidTransition, "The application was submitted meanwhile: its files are frozen.");
    }

    public async Task<IResult> DownloadAsync(string applicationId, string kind, Caller caller, CancellationToken cancellationToken)
    {
        if (await applications.FindVisibleAsync(applicationId, caller, cancellationToken) is not { } stored
            || stored.State.Attachments.FirstOrDefault(a => a.Kind == kind) is not { } attachment)
        {
            return Problems.Of(ProblemKind.NotFound, $"There is no {kind} file on application {applicationId} that you may see.");
        }

        if (stored.State.PersonalDataErasedAt is { } erased)
        {
            return Problems.Of(ProblemKind.NotFound, $"The {kind} file was destroyed on {erased:yyyy-MM-dd} at the end of its retention period; its size and SHA-256 remain on record.");
        }

        var stream = await files.OpenReadAsync(attachment.BlobName, cancellationToken);
        return TypedResults.Stream(stream, attachment.MediaType, attachment.FileName);
    }

    public async Task<IResult> RequestInformationAsync(string applicationId, RequestInformationRequest request, Caller caller, CancellationToken cancellationToken) =>
        await applications.FindAsync(applicationId, cancellationToken) is not { } stored ? ApplicationStore.NotFound(applicationId)
        : await SaveAsync(stored, caller, a =>
        {
            var asked = a.RequestInformation(request.Question, request.Deadline, time.GetUtcNow());
            return Change.Of(new PendingAuditEvent("InformationRequested", asked), ApplicantMail.InformationRequested(a.Data, asked));
        }, cancellationToken);

    public async Task<IResult> AnswerInformationRequestAsync(string applicationId, string requestId, InformationAnswerRequest request, Caller caller, CancellationToken cancellationToken) =>
        await OwnedAsync(applicationId, caller, cancellationToken) is not { } stored ? ApplicationStore.NotFound(applicationId)
        : await SaveAsync(stored, caller, a =>
        {
            a.SupplyInformation(requestId, request.Answer, time.GetUtcNow());
            return Change.Of(new PendingAuditEvent("InformationSupplied", new { requestId }));
        }, cancellationToken);

    public async Task<IResult> DecideEligibilityAsync(string applicationId, DecideEligibilityRequest request, Caller caller, CancellationToken cancellationToken) =>
        await applications.FindAsync(applicationId, cancellationToken) is not { } stored ? ApplicationStore.NotFound(applicationId)
        : await SaveAsync(stored, caller, a =>
        {
            a.DecideEligibility(request.Outcome == "eligible", request.ReasonCodes ?? [], request.Note, caller.AuditName, time.GetUtcNow());
            return Change.Of(new PendingAuditEvent("EligibilityDecided", a.Data.Eligibility), ApplicantMail.EligibilityDecided(a.Data));
        }, cancellationToken);

    private async Task<StoredAggregate<ApplicationData>?> OwnedAsync(string applicationId, Caller caller, CancellationToken cancellationToken) =>
        await applications.FindAsync(applicationId, cancellationToken) is { } stored && ApplicationStore.IsOwner(caller, stored.State) ? stored : null;

    private async Task<IResult> SaveAsync(StoredAggregate<ApplicationData> stored, Caller caller, Func<Application, Change> act, CancellationToken cancellationToken)
    {
        if (stored.WrittenByCurrentOperation)
        {
            // An earlier attempt of this very request did it (its answer was lost): answer with it.
            return TypedResults.Ok(ApplicationStore.ToResponse(stored)).WithETag(stored.ETag);
        }

        var application = new Application(stored.State);
        var change = act(application);
        var saved = await applications.SaveAsync(stored, application, caller.AuditName, change, cancellationToken);
        return TypedResults.Ok(ApplicationStore.ToResponse(saved)).WithETag(saved.ETag);
    }
}
