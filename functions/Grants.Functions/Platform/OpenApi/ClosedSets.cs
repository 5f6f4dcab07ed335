using Grants.Contracts;
using Grants.Contracts.Applications;
using Grants.Contracts.Schemes;
using Grants.Contracts.Vouchers;
using Grants.Domain.Applications;
using Grants.Domain.Assessments;
using Grants.Domain.Common;
using Grants.Domain.Execution;
using Grants.Domain.FollowUp;
using Grants.Domain.Rounds;
using Grants.Domain.Schemes;
using Grants.Domain.Vouchers;

namespace Grants.Functions.Platform.OpenApi;

/// <summary>
/// The closed sets of codes the API speaks, each from the list the API itself checks values against (or the
/// enum whose names it writes), with what the codes mean. A contract names its set with <see cref="ClosedSetAttribute"/>;
/// the OpenAPI document lists the set as an <c>enum</c>.
/// </summary>
public static class ClosedSets
{
    /// <param name="Values">The codes, exactly as they are written on the wire.</param>
    /// <param name="Meaning">What they mean, for the document's description.</param>
    public sealed record ClosedSet(IReadOnlyList<string> Values, string Meaning);

    public static IReadOnlyDictionary<string, ClosedSet> ByName { get; } = new Dictionary<string, ClosedSet>(StringComparer.Ordinal)
    {
        ["instrument"] = new(CreateSchemeRequest.Instruments,
            "ProjectSubsidy: a subsidy for a project, applied for with a plan and a budget, assessed, reported on and settled. Voucher: a fixed amount the organisation spends with a registered supplier."),
        ["sector"] = new(Sectors.All, "The organisation's sector, in the classes the ESF-E programme monitored."),
        ["size-class"] = new(SizeClasses.All, "Employees, by the EU SME definition: micro fewer than 10, small fewer than 50, medium fewer than 250, large the rest."),
        ["language"] = new(Languages.All, "nl Dutch, en English."),
        ["theme"] = new([.. ThemeCatalogue.Names.Keys], "A theme of the programme; GET /api/themes/{year} lists a year's themes with their Dutch and English names."),
        ["attachment-kind"] = new(AttachmentKinds.All, "project-plan: the project plan; budget: the project's budget."),
        ["eligibility-outcome"] = new(DecideEligibilityRequest.Outcomes, "Whether the application meets the round's conditions; ineligible needs reason codes."),
        ["ineligibility-reason"] = new(IneligibilityReasons.All, "Why an application does not meet the round's conditions."),
        ["rejection-reason"] = new(RejectionReasons.All, "ineligible: it does not meet the conditions; assessment-negative: the committee advised against it; ceiling-reached: the budget ran out before it."),
        ["conflict-type"] = new(ConflictTypes.All, "A committee member's tie to an applicant: its employer, a financial interest, family, its adviser, or another tie."),
        ["respondent-role"] = new(RespondentRoles.All, "management: the organisation's contact, whose answers are the organisation's; employee_representative: e.g. the works council; other."),
        ["supplier-kind"] = new(RegisterSupplierRequest.Kinds, "knowledge-institution: a university or research institute; consultancy: a firm that needs references."),
        ["report-kind"] = new([ReportKinds.Progress, ReportKinds.Final], "progress: halfway through the project; final: after it ends, with the actual costs."),
        ["draw-result"] = new(["selected", "reserve", "turned-down"], "selected: within the budget in the published order; reserve: on the reserve list, in order; turned-down: refused outright by the round's method (partial randomisation: scored below the band; pro rata: a share below the minimum grant), not on the reserve list."),
        ["allocation-method"] = new(AllocationDesign.Methods, "lottery: the verifiable draw orders every application; fcfs-day: in order of receipt by day, the day the budget runs out drawn; ranked-tender: down the committee's ranking, a tie at the funding line drawn; partial-randomisation: the best funded, a band around the funding line drawn, the rest turned down; pro-rata: every request cut by the same fraction, those whose share falls below the minimum grant turned down, nothing drawn."),
        ["allocation-rule"] = new(AllocationDesign.Rules, "What the draw does with an application that no longer fits the budget: skip it and go on down the order, or stop there."),
        ["allocation-order"] = new(AllocationDesign.Orders, "lottery-then-assess: draw the order, then assess down it; assess-then-lottery: assess first, then draw among those advised positively."),
        ["allocation-strata"] = new(AllocationDesign.StrataKinds, "What the budget is divided by before the draw: nothing, sector, size class, or public versus private organisations."),
        ["application-status"] = Statuses<ApplicationStatus>("application"),
        ["scheme-status"] = Statuses<SchemeStatus>("scheme"),
        ["round-status"] = Statuses<RoundStatus>("round"),
        ["assessment-status"] = Statuses<AssessmentStatus>("assessment"),
        ["grant-status"] = Statuses<GrantStatus>("grant"),
        ["payment-status"] = Statuses<PaymentStatus>("advance payment"),
        ["survey-status"] = Statuses<SurveyStatus>("follow-up survey"),
        ["voucher-status"] = Statuses<VoucherStatus>("voucher"),
    };

    /// <summary>The set <paramref name="name"/>; a contract naming a set that does not exist is a bug.</summary>
    public static ClosedSet Named(string name) =>
        ByName.TryGetValue(name, out var set) ? set : throw new InvalidOperationException($"No closed set is named \"{name}\".");

    private static ClosedSet Statuses<TStatus>(string of)
        where TStatus : struct, Enum =>
        new(Enum.GetNames<TStatus>(), $"The state of the {of} in its procedure; docs/diagrams draws its state machine.");
}
