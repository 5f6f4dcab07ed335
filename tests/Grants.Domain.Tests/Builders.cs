using Grants.Domain.Applications;
using Grants.Domain.Rounds;
using Grants.Domain.Schemes;
using Grants.Domain.Vouchers;

namespace Grants.Domain.Tests;

/// <summary>Test data in the shape of the ESF-E 2008 round (domain.md §1).</summary>
public static class Builders
{
    public static readonly DateTimeOffset Opens = new(2008, 4, 1, 9, 0, 0, TimeSpan.FromHours(2));

    public static RoundConfiguration Esf2008() => new(
        Version: 1,
        Year: 2008,
        BudgetCeilingCents: 7_000_000_00,
        MaxPerApplicationCents: 120_000_00,
        Instrument: Instrument.ProjectSubsidy,
        VoucherValueCents: null,
        Themes: ["smarter-working", "flexible-work-organisation", "new-relations-at-work"],
        Eligibility: EligibilityRules.Everyone,
        OpensAt: Opens,
        ClosesAt: Opens.AddDays(30),
        Allocation: AllocationDesign.Default,
        FollowUpWaveMonths: [12, 24],
        Consent: new ConsentText("Wij doen mee aan het vervolgonderzoek.", "We take part in the follow-up research."));

    /// <summary>The hash of the analysis plan an ESF-E 2008 round commits to (the defaults, primary wave 1): what its draws carry.</summary>
    public static string PlanHash { get; } = Esf2008().EffectiveAnalysisPlan.Hash();

    /// <summary>The active scheme the test rounds belong to.</summary>
    public static SchemeData Scheme { get; } = new("scheme-1", "ESF-E social innovation", Instrument.ProjectSubsidy, "Workplace innovation.", SchemeStatus.Active, null);

    public static Round OpenRound()
    {
        var round = Round.Create("round-0123456789ab", Builders.Scheme, "ESF-E 2008", Esf2008());
        round.Open(Scheme, Opens);
        return round;
    }

    /// <summary>An open round of <paramref name="configuration"/> (ESF-E 2008's unless given), as its applications see it.</summary>
    public static RoundData OpenRoundData(RoundConfiguration? configuration = null)
    {
        var round = Round.Create("round-0123456789ab", Builders.Scheme, "ESF-E 2008", configuration ?? Esf2008());
        round.Open(Scheme, Opens);
        return round.Data;
    }

    /// <summary>A committee of <paramref name="roundId"/> chaired by "chair", with members "anna" and "bram".</summary>
    public static Grants.Domain.Assessments.CommitteeData ChairedCommittee(string roundId) =>
        Grants.Domain.Assessments.Committee.Constitute(roundId, "chair", ["anna", "bram"], [new Grants.Domain.Assessments.Criterion("quality", "Quality of the plan", 1, 5, 1)], 3.0, []);

    /// <summary>A knowledge institution the ministry verified: it may redeem any round's vouchers.</summary>
    public static Grants.Domain.Vouchers.SupplierData VerifiedSupplier(string kvk) =>
        Grants.Domain.Vouchers.Suppliers.Verify(Grants.Domain.Vouchers.Suppliers.Register(kvk, "Kennisinstituut Oost", Grants.Domain.Vouchers.SupplierKind.KnowledgeInstitution, [], Opens), "ministry", Opens);

    /// <summary>A committee of <paramref name="roundId"/> scoring on <paramref name="criteria"/>, with no conflicts declared.</summary>
    public static Grants.Domain.Assessments.CommitteeData CommitteeOf(string roundId, IReadOnlyList<Grants.Domain.Assessments.Criterion> criteria) =>
        new(roundId, "chair", ["anna", "bram", "cees", "dirk", "eva"], criteria, 3.0, []);

    /// <summary>The application a test survey follows ("app-1"), its organisation consenting to the follow-up.</summary>
    public static ApplicationData FollowedUp { get; } = Submitted().Data with { Id = "app-1" };

    /// <summary>An award of <paramref name="valueCents"/> decided at <paramref name="decidedAt"/> for "app-1" in voucher round "round-1", whose vouchers are valid <paramref name="validityDays"/> days.</summary>
    public static (ApplicationData Awarded, RoundData Round) VoucherAward(long valueCents, DateTimeOffset decidedAt, int validityDays = 365, string holderKvk = "11111111")
    {
        var round = OpenRoundData() with
        {
            Id = "round-1",
            Configuration = Esf2008() with { Instrument = Instrument.Voucher, VoucherValueCents = valueCents, MaxPerApplicationCents = valueCents, Vouchers = new VoucherRules(validityDays) },
        };
        var awarded = Submitted(holderKvk).Data with
        {
            Id = "app-1", RoundId = "round-1", Status = ApplicationStatus.Awarded, Award = new AwardDecision(valueCents, "ministry-1", decidedAt, "ministry-2", decidedAt, null),
        };
        return (awarded, round);
    }

    /// <summary>The voucher <see cref="VoucherAward"/>'s award issues, under <paramref name="codeHash"/>.</summary>
    public static Voucher IssuedVoucher(long valueCents, DateTimeOffset decidedAt, int validityDays, string holderKvk, string codeHash)
    {
        var (awarded, round) = VoucherAward(valueCents, decidedAt, validityDays, holderKvk);
        return Voucher.Issue(awarded, round, codeHash, decidedAt);
    }

    /// <summary>An accepted award of <paramref name="awardCents"/> for "app-1" in project-subsidy round "round-1", for a project of <paramref name="durationMonths"/> months.</summary>
    public static (ApplicationData Accepted, RoundData Round) AcceptedSubsidy(long awardCents, int durationMonths, string holderKvk = "11111111")
    {
        var round = OpenRoundData() with { Id = "round-1" };
        var accepted = Submitted(holderKvk).Data with
        {
            Id = "app-1", RoundId = "round-1", Status = ApplicationStatus.Accepted, Content = CompleteContent() with { DurationMonths = durationMonths },
            Award = new AwardDecision(awardCents, "ministry-1", Opens, "ministry-2", Opens, null),
        };
        return (accepted, round);
    }

    /// <summary>The grant <see cref="AcceptedSubsidy"/>'s acceptance starts at <paramref name="start"/>.</summary>
    public static Grants.Domain.Execution.GrantAgreement StartedGrant(long awardCents, DateTimeOffset start, int durationMonths, decimal advanceShare, int finalReportWeeks, string holderKvk = "11111111")
    {
        var (accepted, round) = AcceptedSubsidy(awardCents, durationMonths, holderKvk);
        return Grants.Domain.Execution.GrantAgreement.Start(accepted, round, start, advanceShare, finalReportWeeks);
    }

    public static ApplicantSnapshot MetalCompany(string kvk = "12345678") =>
        new(kvk, "Metaalbewerking Oost BV", "industry", "medium", false, "nl", "directie@metaal-oost.example");

    public static ApplicationContent CompleteContent() => new(
        "Self-rostering in production",
        "Teams plan their own shifts to cut overtime and absenteeism.",
        ["flexible-work-organisation"],
        95_000_00,
        new DateOnly(2008, 9, 1),
        18,
        20_000_00,
        new Adviser("Subsidie Advies BV", "J. de Vries", "jdv@advies.example"),
        ConsentToFollowUp: true);

    public static Attachment Pdf(string kind) => new(kind, $"blob/{kind}", $"{kind}.pdf", "application/pdf", 1234, new string('a', 64), Opens);

    public static Application ReadyToSubmit(string kvk = "12345678")
    {
        var application = Application.Start(MetalCompany(kvk), OpenRoundData(), Opens.AddDays(1));
        application.Edit(CompleteContent(), Esf2008());
        application.Attach(Pdf(AttachmentKinds.ProjectPlan), Esf2008());
        application.Attach(Pdf(AttachmentKinds.Budget), Esf2008());
        return application;
    }

    public static Application Submitted(string kvk = "12345678")
    {
        var application = ReadyToSubmit(kvk);
        application.Submit(OpenRoundData(), Opens.AddDays(2));
        return application;
    }
}
