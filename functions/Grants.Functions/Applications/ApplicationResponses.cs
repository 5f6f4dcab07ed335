using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Applications;

/// <summary>Applications as the API shows them: in full with their decision and standing in the draw, or as a line in a list.</summary>
public static class ApplicationResponses
{
    public static string Location(StoredAggregate<ApplicationData> stored) => $"/api/applications/{stored.Id}";

    /// <summary>The application with the standing it has as stored.</summary>
    public static ApplicationResponse From(StoredAggregate<ApplicationData> stored) => From(stored, null);

    /// <param name="outcome">The standing in the draw to show, when derived from the round's current protocol (<see cref="IDrawStandings"/>); else the stored one.</param>
    public static ApplicationResponse From(StoredAggregate<ApplicationData> stored, DrawOutcome? outcome)
    {
        var a = stored.State;
        return new ApplicationResponse(
            a.Id,
            a.RoundId,
            a.Applicant.Kvk,
            a.Applicant.LegalName,
            a.Status.ToString(),
            ApplicationContents.ToDto(a.Content),
            [.. a.Attachments.Select(f => new AttachmentResponse(f.Kind, f.FileName, f.MediaType, f.Size, f.Sha256, f.UploadedAt))],
            a.DraftFindings,
            a.ReceiptNumber,
            a.SubmittedAt,
            a.AutomaticFindings,
            a.Eligibility is { } e ? new EligibilityResponse(e.Eligible ? "eligible" : "ineligible", e.ReasonCodes, e.Note, e.DecidedAt) : null,
            [.. a.InformationRequests.Select(r => new InformationRequestResponse(r.Id, r.Question, r.Deadline, r.RequestedAt, r.Answer, r.AnsweredAt, r.Expired))],
            a.CreatedAt,
            a.WithdrawnAt,
            a.PoolId,
            (outcome ?? a.Outcome) is { } o ? new DrawOutcomeResponse(o.TurnedDown ? "turned-down" : o.Selected ? "selected" : "reserve", o.Stratum, o.TurnedDown || o.Granted is not null ? null : o.Rank, o.ReservePosition, o.ProtocolHash, o.Granted) : null,
            Decision(a),
            a.Objection is { } objection
                ? new ObjectionResponse(objection.Upheld switch { true => "upheld", false => "dismissed", null => "pending" }, objection.Grounds, objection.LodgedAt,
                    objection.DecideBy, objection.Reasoning, objection.DecidedAt)
                : null,
            stored.Version);
    }

    private static DecisionResponse? Decision(ApplicationData a)
    {
        var answer = a.Acceptance is { } acceptance ? acceptance.Accepted ? "accepted" : acceptance.Lapsed ? "lapsed" : "declined" : null;
        return (a.Award, a.Rejection) switch
        {
            (_, { } r) => new DecisionResponse("rejection", null, null, null, r.At, null, r.ReasonCodes, r.Note, null),
            ({ } w, _) => new DecisionResponse(w.DecidedAt is null ? "award-proposed" : "award", w.AmountCents, w.ProposedBy, w.ApprovedBy, w.DecidedAt, w.AcceptBy, [], null, answer),
            _ => null,
        };
    }

    public static ApplicationSummaryResponse Summary(StoredAggregate<ApplicationData> stored)
    {
        var a = stored.State;
        return new ApplicationSummaryResponse(a.Id, a.Applicant.Kvk, a.Applicant.LegalName, a.Applicant.Sector, a.Status.ToString(), a.Content.Themes,
            a.Content.RequestedAmountCents, a.ReceiptNumber, a.SubmittedAt);
    }
}
