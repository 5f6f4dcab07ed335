using Grants.Domain.Common;
using Grants.Domain.FollowUp;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Evaluation.Dataset;

namespace Grants.Domain.Tests.Rounds;

/// <summary>
/// The round's analysis plan (docs/decisions/0013): part of the configuration, checked against the round's
/// waves and export, committed when the round opens, and changed after the published draw only by a
/// recorded amendment (the machine's AmendAnalysisPlan trigger).
/// </summary>
public sealed class AnalysisPlanTests
{
    private static readonly byte[] Seed = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private static readonly EvaluationDesign SecondWave = new() { PrimaryWave = 2 };

    private static RoundConfiguration WithPlan(EvaluationDesign plan) => Builders.Esf2008() with { AnalysisPlan = plan };

    [Fact]
    public void OpeningCommitsThePlanWithItsDefaultsWrittenOutAndWithoutChangingIt()
    {
        var round = Round.Create("round-1", Builders.Scheme, "ESF-E 2008", Builders.Esf2008());
        Assert.Null(round.Data.AnalysisPlan); // in Draft the plan is still part of a configuration that may change

        round.Open(Builders.Scheme, Builders.Opens);

        var committed = round.Data.AnalysisPlan!;
        Assert.Equal(1, round.Data.Configuration.AnalysisPlan!.PrimaryWave);
        Assert.Equal((Builders.PlanHash, Builders.Opens), (committed.Hash, committed.CommittedAt));
        Assert.Equal(committed.Plan.Hash(), committed.Hash);
        Assert.Empty(committed.Amendments);
        Assert.Equal(Builders.PlanHash, round.CommittedAnalysisPlanHash);
        Assert.Same(committed.Plan, committed.InForce);
    }

    [Fact]
    public void AConfiguredPlanIsCommittedAsConfigured()
    {
        var round = Round.Create("round-1", Builders.Scheme, "ESF-E 2008", WithPlan(SecondWave with { Alpha = 0.01, OutcomeFamily = ["realised", "money_spent", "innovation"] }));
        round.Open(Builders.Scheme, Builders.Opens);

        var plan = round.Data.AnalysisPlan!.Plan;
        Assert.Equal((2, 0.01), (plan.PrimaryWave, plan.Alpha));
        Assert.Equal(["realised", "money_spent", "innovation"], plan.OutcomeFamily);
        Assert.NotEqual(Builders.PlanHash, round.CommittedAnalysisPlanHash);
    }

    public static TheoryData<string, EvaluationDesign, string, string> PlansThatDoNotFit => new()
    {
        { "a third wave of two", new EvaluationDesign { PrimaryWave = 3 }, "analysisPlan.primaryWave", "must be one of the round's follow-up waves, 1 to 2" },
        { "wave 0", new EvaluationDesign { PrimaryWave = 0 }, "analysisPlan.primaryWave", "primaryWave 0 must be between 1 and 99" },
        { "alpha 0.7", new EvaluationDesign { Alpha = 0.7 }, "analysisPlan.alpha", "must be at least 0.001 and below 0.5" },
        { "power 0.4", new EvaluationDesign { Power = 0.4 }, "analysisPlan.power", "must lie strictly between 0.5 and 1" },
        { "too few draws", new EvaluationDesign { RandomisationDraws = 10 }, "analysisPlan.randomisationDraws", "must be between 100 and 1,000,000" },
        { "another estimator", new EvaluationDesign { PrimaryEstimator = "ols" }, "analysisPlan.primaryEstimator", "primaryEstimator must be 'by-design'" },
        { "an outcome the export lacks", new EvaluationDesign { PrimaryOutcome = "turnover" }, "analysisPlan.primaryOutcome", "'turnover' is not an outcome of the evaluator export" },
        { "a family member the export lacks", new EvaluationDesign { OutcomeFamily = ["realised", "profit"] }, "analysisPlan.outcomeFamily", "'profit' is not an outcome of the evaluator export" },
        { "a malformed outcome name", new EvaluationDesign { OutcomeFamily = ["Realised!"] }, "analysisPlan.outcomeFamily", "'Realised!' is not an outcome of the evaluator export" },
        { "an outcome twice", new EvaluationDesign { OutcomeFamily = ["realised", "realised"] }, "analysisPlan.outcomeFamily", "outcomeFamily must list distinct outcome names" },
    };

    [Theory]
    [MemberData(nameof(PlansThatDoNotFit))]
    public void APlanThatDoesNotFitTheRoundIsRefusedUnderItsField(string what, EvaluationDesign plan, string field, string error)
    {
        var refused = Assert.Throws<DomainRuleException>(() => Round.Create("round-1", Builders.Scheme, "x", WithPlan(plan)));

        Assert.True(refused.Errors.ContainsKey(field), $"{what}: {string.Join("; ", refused.Errors.Select(e => $"{e.Key}: {string.Join(" | ", e.Value)}"))}");
        var message = Assert.Single(refused.Errors[field]);
        Assert.Contains(error, message, StringComparison.Ordinal);
        Assert.DoesNotContain("design.json", message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryOutcomeOfTheExportMayBeNamed()
    {
        var plan = new EvaluationDesign { PrimaryOutcome = "productivity", OutcomeFamily = [.. SurveyCatalogue.EvaluationOutcomes] };

        Assert.Empty(Builders.Esf2008().AnalysisPlanProblems(plan, "analysisPlan"));
        Assert.Contains("other_funding", SurveyCatalogue.EvaluationOutcomes);
        Assert.DoesNotContain("self_deadweight", SurveyCatalogue.EvaluationOutcomes); // asked of recipients only: no comparison of arms
    }

    [Fact]
    public void ThePlanIsFrozenWithTheConfiguration()
    {
        var round = Builders.OpenRound();

        Assert.Throws<InvalidTransitionException>(() => round.Configure(WithPlan(SecondWave)));
        Assert.Equal(1, round.Data.AnalysisPlan!.Plan.PrimaryWave);
    }

    [Fact]
    public void AmendingIsRefusedUntilTheDrawIsPublished()
    {
        var draft = Round.Create("round-1", Builders.Scheme, "x", Builders.Esf2008());
        var round = Builders.OpenRound();
        Assert.Contains("in Draft, change the plan with the configuration", Refused(draft).Message);
        Refused(round);
        round.CommitSeed(Round.MinistryParty, LotteryDraw.Commitment(Seed), "ministry-1", Builders.Opens);
        round.Close(Builders.Opens.AddDays(30));
        Refused(round);
        round.RequestPoolFreeze(Builders.Opens.AddDays(31));
        round.CompletePoolFreeze(0, 0, "hash", 3, Builders.Opens.AddDays(31));
        round.RevealSeed(Round.MinistryParty, Seed, Builders.Opens.AddDays(32));
        Refused(round);

        // Drawn, but held by the balance check: it may still be set aside and drawn again under the committed plan.
        round.RequestDraw(Builders.Opens.AddDays(32));
        round.RecordDraw("p1", true, holdForBalance: true);
        var held = Refused(round);
        Assert.Contains("its draw is not published", held.Message);

        round.ConfirmPublication("Within chance.", Builders.Opens.AddDays(33));
        round.AmendAnalysisPlan(SecondWave, "The second wave measures what the scheme is for.", "staff:ministry-1", Builders.Opens.AddDays(40));
        Assert.Equal(RoundStatus.Drawn, round.Data.Status);
    }

    [Theory]
    [InlineData(RoundStatus.Drawn)]
    [InlineData(RoundStatus.Deciding)]
    [InlineData(RoundStatus.Decided)]
    [InlineData(RoundStatus.FollowUp)]
    public void AmendingIsPermittedFromThePublishedDrawUntilTheEvaluationIsComplete(RoundStatus status)
    {
        var round = PublishedDrawIn(status);

        round.AmendAnalysisPlan(SecondWave, "The second wave measures what the scheme is for.", "staff:ministry-1", Builders.Opens.AddDays(400));

        Assert.Equal(status, round.Data.Status);
        Assert.Equal(2, round.Data.AnalysisPlan!.InForce.PrimaryWave);
    }

    [Fact]
    public void AmendingIsRefusedOnceTheEvaluationIsComplete()
    {
        var round = PublishedDrawIn(RoundStatus.FollowUp);
        round.CompleteEvaluation();

        Assert.Contains("evaluation is complete", Refused(round).Message);
        Assert.Empty(round.Data.AnalysisPlan!.Amendments);
    }

    [Fact]
    public void AnAmendmentIsRecordedWithWhoWhenAndWhyAndPutsItsPlanInForceBesideTheCommittedOne()
    {
        var round = PublishedDrawIn(RoundStatus.Deciding);
        var at = Builders.Opens.AddDays(60);

        var first = round.AmendAnalysisPlan(SecondWave, "  The second wave measures what the scheme is for.  ", "staff:ministry-1", at);
        var second = round.AmendAnalysisPlan(SecondWave with { PrimaryOutcome = "full" }, "Only projects done as planned count as realised.", "staff:ministry-2", at.AddDays(1));

        var record = round.Data.AnalysisPlan!;
        Assert.Equal(Builders.PlanHash, record.Hash); // the committed plan stays as it was
        Assert.Equal(1, record.Plan.PrimaryWave);
        Assert.Equal([first, second], record.Amendments);
        Assert.Equal((at, "staff:ministry-1", "The second wave measures what the scheme is for.", SecondWave.Hash()), (first.At, first.By, first.Reason, first.Hash));
        Assert.Equal(second.Plan, record.InForce);
        Assert.Equal(AnalysisPlanParse(record.ToJson()).ToJson(), record.ToJson());
    }

    [Fact]
    public void AnAmendmentThatChangesNothingOrSaysNotWhyIsRefused()
    {
        var round = PublishedDrawIn(RoundStatus.Deciding);

        var same = Assert.Throws<DomainRuleException>(() => round.AmendAnalysisPlan(new EvaluationDesign { PrimaryWave = 1 }, "No change.", "staff:m", Builders.Opens.AddDays(60)));
        var blank = Assert.Throws<DomainRuleException>(() => round.AmendAnalysisPlan(SecondWave, "  ", "staff:m", Builders.Opens.AddDays(60)));
        var multiline = Assert.Throws<DomainRuleException>(() => round.AmendAnalysisPlan(SecondWave, "Because\nreasons", "staff:m", Builders.Opens.AddDays(60)));
        var tooLong = Assert.Throws<DomainRuleException>(() => round.AmendAnalysisPlan(SecondWave, new string('x', Round.MaxAmendmentReasonLength + 1), "staff:m", Builders.Opens.AddDays(60)));
        var notFitting = Assert.Throws<DomainRuleException>(() => round.AmendAnalysisPlan(new EvaluationDesign { PrimaryWave = 3 }, "A third wave.", "staff:m", Builders.Opens.AddDays(60)));

        Assert.Contains("is the plan in force already", same.Errors["plan"][0], StringComparison.Ordinal);
        Assert.Contains("reason", blank.Errors.Keys);
        Assert.Contains("reason", multiline.Errors.Keys);
        Assert.Contains("reason", tooLong.Errors.Keys);
        Assert.Contains("plan.primaryWave", notFitting.Errors.Keys);
        Assert.Empty(round.Data.AnalysisPlan!.Amendments);
    }

    [Fact]
    public void ARoundConfiguredBeforeRoundsHadAPlanCommitsTheDefaultsWithTheFirstWave()
    {
        var opened = Builders.OpenRound().Data;
        var legacy = opened with { Configuration = opened.Configuration with { AnalysisPlan = null } };

        Assert.Equal(Builders.PlanHash, legacy.AnalysisPlan!.Hash);
        Assert.Equal(1, legacy.Configuration.EffectiveAnalysisPlan.PrimaryWave);
    }

    private static Grants.Evaluation.Planning.AnalysisPlanRecord AnalysisPlanParse(string json) => Grants.Evaluation.Planning.AnalysisPlanRecord.Parse(json);

    private static InvalidTransitionException Refused(Round round)
    {
        var before = round.Data;
        var refused = Assert.Throws<InvalidTransitionException>(() => round.AmendAnalysisPlan(SecondWave, "The second wave.", "staff:m", Builders.Opens.AddDays(60)));
        Assert.Same(before, round.Data);
        return refused;
    }

    /// <summary>A round whose published draw has brought it to <paramref name="status"/>.</summary>
    private static Round PublishedDrawIn(RoundStatus status)
    {
        var round = Builders.OpenRound();
        round.CommitSeed(Round.MinistryParty, LotteryDraw.Commitment(Seed), "ministry-1", Builders.Opens);
        round.Close(Builders.Opens.AddDays(30));
        round.RequestPoolFreeze(Builders.Opens.AddDays(31));
        round.CompletePoolFreeze(0, 0, "hash", 3, Builders.Opens.AddDays(31));
        round.RevealSeed(Round.MinistryParty, Seed, Builders.Opens.AddDays(32));
        round.RequestDraw(Builders.Opens.AddDays(32));
        round.RecordDraw("p1", true);
        foreach (var (next, step) in new (RoundStatus, Action)[] { (RoundStatus.Deciding, round.StartDecisions), (RoundStatus.Decided, round.CompleteDecisions), (RoundStatus.FollowUp, round.StartFollowUp) })
        {
            if (round.Data.Status == status)
            {
                break;
            }

            step();
            Assert.Equal(next, round.Data.Status);
        }

        Assert.Equal(status, round.Data.Status);
        return round;
    }
}
