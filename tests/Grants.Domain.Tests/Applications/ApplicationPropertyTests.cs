using CsCheck;
using Grants.Domain.Applications;
using Grants.Domain.Assessments;
using Grants.Domain.Common;
using Grants.Domain.Rounds;

namespace Grants.Domain.Tests.Applications;

/// <summary>
/// docs/design.md §3's application workflow as a property: random sequences of commands — right and
/// wrong for the status, good and bad amounts, the proposer approving its own award, time moving
/// forward and back across the deadlines — starting from a random point on the way to acceptance.
/// After every step the status is one the machine can reach and, when the command was accepted, one
/// its trigger leads to; a refused command changes nothing; an award stays within the request, the
/// round's maximum and the four-eyes rule and only goes to an application the lottery selected and
/// the committee advised on (the round assesses after the draw); the receipt number and the
/// submitted content never change; terminal states stay as they are.
/// </summary>
public sealed class ApplicationPropertyTests
{
    private const long FourEyesThresholdCents = 60_000_00;

    private static readonly TimeSpan AcceptanceWindow = TimeSpan.FromDays(28);

    private static readonly RoundConfiguration Round = Builders.Esf2008();

    /// <summary>The round the applications are in, open from <see cref="Builders.Opens"/> for 30 days: a submission after that is refused.</summary>
    private static readonly RoundData OpenRound = Builders.OpenRoundData(Round);

    private static readonly StateMachineGraph Machine = StateMachineGraph.Parse(Application.Diagram());

    private static readonly string[] Ministry = ["ministry-anna", "ministry-bram"];

    private static readonly long[] Requested = [95_000_00, 120_000_00, 40_000_00, 0, 120_000_01];

    private static readonly long[] Awards = [40_000_00, 95_000_00, 120_000_00, 120_000_01, 0, -1];

    private static readonly IReadOnlyList<string>[] Reasons = [["sector-not-eligible"], ["ineligible"], ["assessment-negative", "ceiling-reached"], ["other"], [], ["made-up"]];

    private static readonly Step[] ToSubmission = [new(Command.Edit, 0, 1), new(Command.Attach, 0, 0), new(Command.Attach, 1, 0), new(Command.Submit, 0, 1)];

    private static readonly Step[] ToSelection = [.. ToSubmission, new(Command.DecideEligibility, 0, 1), new(Command.EnterPool, 0, 1), new(Command.RecordDrawOutcome, 0, 1)];

    /// <summary>Ways through the workflow; each sequence starts some way along one of them, so that late states are reached often.</summary>
    private static readonly Step[][] Paths =
    [
        [.. ToSelection, new(Command.Award, 0, 1), new(Command.Answer, 0, 1)],
        [.. ToSelection, new(Command.Award, 1, 1), new(Command.ApproveAward, 0, 1), new(Command.Answer, 1, 1)],
        [
            .. ToSubmission, new(Command.DecideEligibility, 0, 1), new(Command.EnterPool, 0, 1), new(Command.RecordDrawOutcome, 1, 1), new(Command.SelectFromReserve, 0, 1),
            new(Command.Award, 1, 1), new(Command.Reject, 2, 1), new(Command.LodgeObjection, 0, 1),
        ],
        [
            .. ToSubmission, new(Command.RequestInformation, 3, 1), new(Command.SupplyInformation, 0, 1), new(Command.DecideEligibility, 0, 1),
            new(Command.Reject, 2, 1), new(Command.LodgeObjection, 0, 1),
        ],
        [.. ToSubmission, new(Command.DecideEligibility, 0, 1), new(Command.EnterPool, 0, 1), new(Command.RecordDrawOutcome, 5, 1), new(Command.LodgeObjection, 0, 1), new(Command.DecideObjection, 0, 1)],
        [.. ToSubmission, new(Command.DecideEligibility, 0, 1), new(Command.EnterPool, 0, 1), new(Command.RecordDrawOutcome, 4, 1), new(Command.Award, 0, 1)],
    ];

    /// <summary>Every command, but withdrawal — possible from almost every early state — seldom, so that sequences do not all end there.</summary>
    private static readonly Gen<Command> Commands = Gen.Frequency((1, Gen.Const(Command.Withdraw)), (40, Gen.Enum<Command>().Where(c => c != Command.Withdraw)));

    private static readonly Gen<Step[]> Sequences =
        Gen.Select(
            Gen.Int[0, Paths.Length - 1].SelectMany(path => Gen.Int[0, Paths[path].Length].Select(length => Paths[path][..length])),
            Gen.Select(Commands, Gen.Int[0, 5], Gen.Int[-3, 30], (c, p, d) => new Step(c, p, d)).Array[1, 30],
            (start, steps) => start.Concat(steps).ToArray());

    private enum Command
    {
        Edit,
        Attach,
        Submit,
        RequestInformation,
        SupplyInformation,
        ExpireInformationRequest,
        DecideEligibility,
        EnterPool,
        RecordDrawOutcome,
        SelectFromReserve,
        Award,
        ApproveAward,
        Reject,
        Answer,
        Lapse,
        LodgeObjection,
        DecideObjection,
        FlagObjectionOverdue,
        Withdraw,
        WithdrawConsent,
        MarkRoundClosedNoticeSent,
    }

    [Fact]
    public void NoCommandSequenceBreaksTheWorkflowOrTheAward()
    {
        Sequences.Sample(steps =>
        {
            var application = Application.Start(Builders.MetalCompany(), OpenRound, Builders.Opens);
            var now = Builders.Opens;
            foreach (var step in steps)
            {
                now = now.AddDays(step.Days);
                AggregateStep.Check(Machine, step, () => application.Data, d => d.Status, () => Apply(application, step, now), Broken);
            }
        }, iter: 2_000, threads: 1); // a failure prints the seed that reproduces it
    }

    /// <summary>The errors submitting <paramref name="draft"/> now would be refused with; none when it would be accepted.</summary>
    private static IReadOnlyDictionary<string, string[]> RefusalOnSubmit(ApplicationData draft)
    {
        try
        {
            new Application(draft).Submit(OpenRound, Builders.Opens);
            return new Dictionary<string, string[]>();
        }
        catch (DomainRuleException refused)
        {
            return refused.Errors;
        }
    }

    private static string? Broken(ApplicationData before, ApplicationData after)
    {
        if (after.SubmittedAt is not null && (after.Content.RequestedAmountCents <= 0 || after.Content.RequestedAmountCents > Round.MaxPerApplicationCents))
        {
            return "submitted with a request outside (0, round maximum]";
        }

        if (after.Award is { } award
            && (award.AmountCents <= 0 || award.AmountCents > after.Content.RequestedAmountCents || award.AmountCents > Round.MaxPerApplicationCents))
        {
            return "an award outside (0, requested, round maximum]";
        }

        if (after.Award is { } share && after.Outcome?.Granted is { } granted && share.AmountCents > granted)
        {
            return "an award above the pro rata share";
        }

        if (after.Objection is { } objection && before.Objection is null && new Application(after).ObjectedDecisionAt is { } decided && objection.LodgedAt > decided + Application.ObjectionPeriod)
        {
            return "an objection lodged more than six weeks after the decision";
        }

        var awarded = after.Status is ApplicationStatus.Awarded or ApplicationStatus.Accepted or ApplicationStatus.Declined;
        if (awarded && after.Award is not { DecidedAt: not null })
        {
            return "awarded without a decided award";
        }

        if (awarded && after.Award!.AmountCents > FourEyesThresholdCents && (after.Award.ApprovedBy is null || after.Award.ApprovedBy == after.Award.ProposedBy))
        {
            return "an award above the four-eyes threshold without a second person's approval";
        }

        // The award path is the draw's selection's, or — outside the published order — that of one turned down whose objection was upheld.
        if ((after.Status is ApplicationStatus.Selected or ApplicationStatus.AwardProposed || awarded) && after.Outcome is not { Selected: true }
            && !(after.Outcome is { TurnedDown: true } && after.Objection is { Upheld: true }))
        {
            return "on the award path without being selected by the lottery or an upheld objection against its turn-down";
        }

        if (before.ReceiptNumber is not null && (after.ReceiptNumber != before.ReceiptNumber || after.SubmittedAt != before.SubmittedAt))
        {
            return "the receipt changed";
        }

        if (after.Status == ApplicationStatus.Draft && AggregateStep.Json(after.DraftFindings) != AggregateStep.Json(RefusalOnSubmit(after)))
        {
            return "a draft's findings are not what submitting it would be refused for";
        }

        if (after.Status != ApplicationStatus.Draft && after.DraftFindings is not null)
        {
            return "findings kept past the draft";
        }

        if (after.Status is not (ApplicationStatus.Draft or ApplicationStatus.Withdrawn) && after.ReceiptNumber is null)
        {
            return "past the draft without a receipt";
        }

        if (before.SubmittedAt is not null && AggregateStep.Json(after.Content) != AggregateStep.Json(before.Content))
        {
            return "the submitted content changed";
        }

        if (before.SubmittedAt is not null && before.Status != ApplicationStatus.InformationRequested && AggregateStep.Json(after.Attachments) != AggregateStep.Json(before.Attachments))
        {
            return "the attachments changed outside an information request";
        }

        if (before.ConsentWithdrawnAt is not null && after.ConsentWithdrawnAt != before.ConsentWithdrawnAt)
        {
            return "a withdrawal of consent was undone";
        }

        if (after.Status == ApplicationStatus.InformationRequested && new Application(after).OpenInformationRequest is null)
        {
            return "information requested without an open request";
        }

        if (Machine.IsTerminal(before.Status.ToString())
            && AggregateStep.Json(after with { ConsentWithdrawnAt = before.ConsentWithdrawnAt, RoundClosedNoticeSent = before.RoundClosedNoticeSent }) != AggregateStep.Json(before))
        {
            return $"a {before.Status} application changed";
        }

        return null;
    }

    private static IReadOnlyList<string[]> Apply(Application application, Step step, DateTimeOffset now)
    {
        var pick = step.Pick;
        switch (step.Command)
        {
            case Command.Edit:
                application.Edit(pick < Requested.Length ? Builders.CompleteContent() with { RequestedAmountCents = Requested[pick] } : ApplicationContent.Empty, Round);
                return [["Edit"]];
            case Command.Attach:
                application.Attach(Builders.Pdf((pick % 3) switch { 0 => AttachmentKinds.ProjectPlan, 1 => AttachmentKinds.Budget, _ => "invoice" }) with { UploadedAt = now }, Round);
                return [["Attach"]];
            case Command.Submit:
                application.Submit(OpenRound, now);
                return [["Submit"]];
            case Command.RequestInformation:
                application.RequestInformation("Please send the signed budget.", now.AddDays(7 * (pick - 1)), now);
                return [["RequestInformation"]];
            case Command.SupplyInformation:
                application.SupplyInformation(pick < 5 ? application.OpenInformationRequest?.Id ?? "ir-1" : "ir-9", "Attached.", now);
                return [["SupplyInformation"]];
            case Command.ExpireInformationRequest:
                application.ExpireInformationRequest(now);
                return [["ExpireInformationRequest"]];
            case Command.DecideEligibility:
                var eligible = pick is 0 or 4;
                application.DecideEligibility(eligible, Reasons[pick], null, Ministry[0], now);
                return [[eligible ? "DecideEligible" : "DecideIneligible"]];
            case Command.EnterPool:
                application.EnterPool($"P-{pick:0000}");
                return [["EnterPool"]];
            case Command.RecordDrawOutcome:
                // 5: turned down by the method; 4: selected with a pro rata share smaller than most awards tried.
                var turnedDown = pick == 5;
                var selected = !turnedDown && pick % 2 == 0;
                application.RecordDrawOutcome(new DrawOutcome(selected, "all", turnedDown ? 0 : pick + 1, selected || turnedDown ? null : pick, "protocol-1", turnedDown, pick == 4 ? 30_000_00 : null, now));
                return [[turnedDown ? "TurnDown" : selected ? "Select" : "PlaceOnReserve"]];
            case Command.SelectFromReserve:
                application.SelectFromReserve("protocol-2");
                return [["SelectFromReserve"]];
            case Command.Award:
                var advised = AssessmentOf(application, ((step.Days % 3) + 3) % 3, now);
                application.Award(Awards[pick], Round, advised, FourEyesThresholdCents, Ministry[pick % 2], now, AcceptanceWindow);
                if (advised is not { Status: AssessmentStatus.Advised })
                {
                    Assert.Fail($"awarded without the committee's advice (assessment: {advised?.Status.ToString() ?? "none"})");
                }

                return [["Award"], ["ProposeAward"]];
            case Command.ApproveAward:
                application.ApproveAward(Ministry[pick % 2], Round, now, AcceptanceWindow);
                return [["ApproveAward"]];
            case Command.Reject:
                application.Reject(Reasons[pick], "Not this time.", Ministry[0], now);
                return [["Reject"]];
            case Command.Answer:
                application.Answer(pick % 2 == 0, now);
                return [[pick % 2 == 0 ? "Accept" : "Decline"]];
            case Command.Lapse:
                application.Lapse(now);
                return [["Decline"]];
            case Command.LodgeObjection:
                application.LodgeObjection(pick == 5 ? " " : "The plan does fit the theme.", now);
                return [["LodgeObjection"]];
            case Command.DecideObjection:
                application.DecideObjection(pick % 2 == 0, pick == 5 ? "" : "Reasons given.", now);
                return [[pick % 2 == 0 ? "UpholdObjection" : "DismissObjection"]];
            case Command.FlagObjectionOverdue:
                application.FlagObjectionOverdue(now);
                return [["FlagOverdue"]];
            case Command.Withdraw:
                application.Withdraw("We found other funding.", now);
                return [["Withdraw"]];
            case Command.WithdrawConsent:
                application.WithdrawConsent(now);
                return [];
            case Command.MarkRoundClosedNoticeSent:
                application.MarkRoundClosedNoticeSent();
                return [];
            default:
                throw new ArgumentOutOfRangeException(nameof(step));
        }
    }

    /// <summary>The committee's assessment as an award meets it: none assigned (0), advised on (1), or scored by one member of two (2).</summary>
    private static AssessmentData? AssessmentOf(Application application, int stage, DateTimeOffset now)
    {
        if (stage == 0)
        {
            return null;
        }

        Criterion[] criteria = [new("quality", "Quality of the plan", 1, 5, 1)];
        var assessment = Assessment.Assign(application.Data.Id, application.Data.RoundId, application.Data.Applicant.Kvk, 1, ["anna", "bram"]);
        assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, criteria), "anna", [new CriterionScore("quality", 4, "Sound.")], now);
        if (stage == 1)
        {
            assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, criteria), "bram", [new CriterionScore("quality", 3, "Adequate.")], now);
            assessment.RecordAdvice(Builders.ChairedCommittee(assessment.Data.RoundId), "chair", true, "Fundable.", now);
        }

        return assessment.Data;
    }

    private sealed record Step(Command Command, int Pick, int Days);
}
