using Grants.Domain.Assessments;
using Grants.Domain.Common;

namespace Grants.Domain.Tests.Assessments;

public sealed class AssessmentTests
{
    private static readonly DateTimeOffset Now = new(2008, 7, 1, 10, 0, 0, TimeSpan.FromHours(2));

    private static readonly Criterion[] Criteria =
    [
        new("fit", "Fit with the themes", 1, 5, 1), new("quality", "Quality of the plan", 1, 5, 2), new("involvement", "Employee involvement", 1, 5, 1),
    ];

    private static CommitteeData Committee3() =>
        Committee.Constitute("round-1", "chair", ["anna", "bram", "cees"], Criteria, 3.0, []);

    private static CriterionScore[] Scores(int fit, int quality, int involvement) =>
        [new("fit", fit, "Fits smarter working."), new("quality", quality, "Clear plan with milestones."), new("involvement", involvement, "Works council co-wrote it.")];

    [Fact]
    public void ConflictedMemberIsNeverChosenAndLoadIsBalanced()
    {
        var committee = Committee.DeclareConflict(Committee3(), new ConflictOfInterest("anna", "12345678", null, "employer", "Worked there until 2007", Now));

        var plan = AssignmentPlanner.Plan(committee, [new("app-1", "12345678"), new("app-2", "87654321"), new("app-3", "11112222")], new Dictionary<string, int>(), "round-1");

        Assert.Equal(["app-1", "app-2", "app-3"], plan.Assigned.Select(a => a.ApplicationId));
        Assert.Equal(["bram", "cees"], plan.Assigned[0].Members);
        Assert.Equal(6, plan.Load.Values.Sum());
        Assert.True(plan.Load.Values.Max() - plan.Load.Values.Min() <= 1, string.Join(",", plan.Load));
        Assert.Empty(plan.Unassigned);
    }

    [Fact]
    public void TooFewUnconflictedMembersMeansNoAssignmentAndSaysWhy()
    {
        var committee = Committee.DeclareConflict(Committee3(), new ConflictOfInterest("anna", null, "app-1", "family", "Sister is director", Now));
        committee = Committee.DeclareConflict(committee, new ConflictOfInterest("bram", "12345678", null, "adviser", "Wrote the application", Now));

        var plan = AssignmentPlanner.Plan(committee, [new("app-1", "12345678")], new Dictionary<string, int>(), "round-1");

        Assert.Empty(plan.Assigned);
        Assert.Equal(("app-1", "only 1 member free of conflicts, and it needs 2"), Assert.Single(plan.Unassigned));
    }

    /// <summary>With a cap, a member at it takes no more, and the application fewest members can take is served too.</summary>
    [Fact]
    public void UnderACapTheApplicationFewestMembersCanTakeIsCoveredToo()
    {
        // app-2's only free members are anna and bram; cees and dirk are conflicted with it. A greedy first choice of
        // anna and bram for app-1 would leave app-2 without room at a cap of 1.
        var committee = Committee.Constitute("round-1", "chair", ["anna", "bram", "cees", "dirk"], Criteria, 3.0, [], maxAssessmentsPerMember: 1);
        committee = Committee.DeclareConflict(committee, new ConflictOfInterest("cees", null, "app-2", "financial", "Shares", Now));
        committee = Committee.DeclareConflict(committee, new ConflictOfInterest("dirk", null, "app-2", "financial", "Shares", Now));

        var plan = AssignmentPlanner.Plan(committee, [new("app-1", "11111111"), new("app-2", "22222222")], new Dictionary<string, int>(), "round-1");

        Assert.Equal(["anna", "bram"], plan.Assigned.Single(a => a.ApplicationId == "app-2").Members);
        Assert.Equal(["cees", "dirk"], plan.Assigned.Single(a => a.ApplicationId == "app-1").Members);
        Assert.All(plan.Load.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public void ScoredOnlyWhenEveryMemberSubmittedAndSheetsAreImmutable()
    {
        var assessment = Assessment.Assign("app-1", "round-1", "12345678", 1, ["anna", "bram"]);
        assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), "anna", Scores(4, 4, 3), Now);
        Assert.Equal(AssessmentStatus.Assigned, assessment.Data.Status);
        Assert.Throws<DomainRuleException>(() => assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), "anna", Scores(1, 1, 1), Now));

        assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), "bram", Scores(2, 3, 4), Now);

        Assert.Equal(AssessmentStatus.Scored, assessment.Data.Status);
        var aggregate = assessment.Aggregate(Criteria, 3.0);
        Assert.Equal(3.5, aggregate.MeanByCriterion["quality"]);
        Assert.Equal((3.0 + 2 * 3.5 + 3.5) / 4, aggregate.WeightedTotal, 10);
        Assert.True(aggregate.Passes);
    }

    [Fact]
    public void CorrectionIsANewLinkedSheetAndTheOriginalStays()
    {
        var assessment = Assessment.Assign("app-1", "round-1", "12345678", 1, ["anna", "bram"]);
        var original = assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), "anna", Scores(4, 4, 3), Now);
        assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), "bram", Scores(2, 3, 4), Now);

        var correction = assessment.Correct(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), "anna", original.SheetId, Scores(4, 2, 3), Now.AddHours(1));

        Assert.Equal(original.SheetId, correction.Corrects);
        Assert.Contains(original, assessment.Data.Sheets);
        Assert.Equal(2.5, assessment.Aggregate(Criteria, 3.0).MeanByCriterion["quality"]);
        Assert.Throws<DomainRuleException>(() => assessment.Correct(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), "anna", original.SheetId, Scores(5, 5, 5), Now));
        Assert.Throws<DomainRuleException>(() => assessment.Correct(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), "bram", original.SheetId, Scores(5, 5, 5), Now));
    }

    [Theory]
    [InlineData("quality", 6, "Clear.", "scored from 1 to 5")]
    [InlineData("quality", 3, " ", "justification")]
    [InlineData("luck", 3, "Lucky.", "not a criterion")]
    public void BadScoresAreRefusedAndNothingIsKept(string criterion, int score, string justification, string message)
    {
        var assessment = Assessment.Assign("app-1", "round-1", "12345678", 1, ["anna", "bram"]);
        CriterionScore[] scores = [new("fit", 3, "Fits."), new(criterion, score, justification), new("involvement", 3, "Some.")];
        var error = Assert.Throws<DomainRuleException>(() => assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), "anna", scores, Now));
        Assert.Contains(error.Errors["scores"], e => e.Contains(message, StringComparison.Ordinal));
        Assert.Empty(assessment.Data.Sheets);
    }

    [Fact]
    public void ReassignmentMovesUnstartedWorkOnly()
    {
        var assessment = Assessment.Assign("app-1", "round-1", "12345678", 1, ["anna", "bram"]);
        assessment.Reassign(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), "anna", "cees", "Conflict declared: employer", Now, toHolds: 0);
        Assert.Equal(["cees", "bram"], assessment.Data.Members);
        assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), "bram", Scores(3, 3, 3), Now);
        Assert.Throws<DomainRuleException>(() => assessment.Reassign(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), "bram", "anna", "x", Now, toHolds: 0));
    }

    /// <summary>A member who declared a conflict with the application's organisation scores nothing, corrections included, whoever asks.</summary>
    [Fact]
    public void AMemberWhoDeclaredAConflictScoresNothing()
    {
        var conflicted = Committee.DeclareConflict(Committee3(), new ConflictOfInterest("anna", "12345678", null, "employer", "Worked there until 2007", Now));
        var assessment = Assessment.Assign("app-1", "round-1", "12345678", 1, ["anna", "bram"]);

        Assert.Throws<NotPermittedException>(() => assessment.SubmitScores(conflicted, "anna", Scores(4, 4, 4), Now));
        Assert.Empty(assessment.Data.Sheets);

        // Declared after scoring: the scores stand (the ministry decides what follows), but no correction comes from that member.
        var scored = Assessment.Assign("app-2", "round-1", "12345678", 1, ["anna", "bram"]);
        var sheet = scored.SubmitScores(Committee3(), "anna", Scores(4, 4, 4), Now);
        scored.SubmitScores(Committee3(), "bram", Scores(3, 3, 3), Now);
        Assert.Throws<NotPermittedException>(() => scored.Correct(conflicted, "anna", sheet.SheetId, Scores(1, 1, 1), Now));
        Assert.Throws<ArgumentException>(() => scored.Correct(Committee3() with { RoundId = "round-2" }, "bram", scored.Data.Sheets[1].SheetId, Scores(1, 1, 1), Now));
        Assert.Equal(2, scored.Data.Sheets.Count);
    }

    /// <summary>Work moves only to a member of the committee who declared no conflict with the application and holds fewer than its cap, whoever moves it.</summary>
    [Fact]
    public void WorkIsReassignedOnlyToACommitteeMemberFreeOfConflictsAndUnderItsCap()
    {
        var assessment = Assessment.Assign("app-1", "round-1", "12345678", 1, ["anna", "bram"]);
        var committee = Committee.DeclareConflict(Committee3(), new ConflictOfInterest("cees", "12345678", null, "employer", "Works there", Now));

        Assert.Throws<DomainRuleException>(() => assessment.Reassign(committee, "anna", "zoe", "Not a member.", Now, toHolds: 0));
        Assert.Throws<DomainRuleException>(() => assessment.Reassign(committee, "anna", "cees", "Conflicted.", Now, toHolds: 0));
        Assert.Equal(["anna", "bram"], assessment.Data.Members);

        // Under a cap of 3 applications a member, one who holds 3 takes no more.
        var capped = Committee3() with { MaxAssessmentsPerMember = 3 };
        Assert.Contains("the most the committee gives one member", Assert.Throws<DomainRuleException>(() => assessment.Reassign(capped, "anna", "cees", "Anna is ill.", Now, toHolds: 3)).Message, StringComparison.Ordinal);
        Assert.Equal(["anna", "bram"], assessment.Data.Members);

        assessment.Reassign(capped, "anna", "cees", "Anna is ill.", Now, toHolds: 2);
        Assert.Equal(["cees", "bram"], assessment.Data.Members);
    }

    /// <summary>The advice is the chair's alone, whoever asks; a member's is refused and changes nothing.</summary>
    [Fact]
    public void OnlyTheCommitteesChairRecordsItsAdvice()
    {
        var assessment = Assessment.Assign("app-1", "round-1", "12345678", 1, ["anna", "bram"]);
        assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), "anna", Scores(4, 4, 4), Now);
        assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), "bram", Scores(4, 4, 4), Now);
        var committee = Committee3();

        Assert.Throws<NotPermittedException>(() => assessment.RecordAdvice(committee, "anna", true, "I liked it.", Now));
        Assert.Null(assessment.Data.Advice);
        Assert.Throws<ArgumentException>(() => assessment.RecordAdvice(committee with { RoundId = "round-2" }, "chair", true, "Good plan.", Now));

        assessment.RecordAdvice(committee, "chair", true, "Good plan.", Now);
        Assert.Equal("chair", assessment.Data.Advice!.Chair);
    }

    [Fact]
    public void ChairAdvisesOnlyOnceScored()
    {
        var assessment = Assessment.Assign("app-1", "round-1", "12345678", 1, ["anna", "bram"]);
        Assert.Throws<InvalidTransitionException>(() => assessment.RecordAdvice(Builders.ChairedCommittee(assessment.Data.RoundId), "chair", true, "Good plan.", Now));
        assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), "anna", Scores(4, 4, 4), Now);
        assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), "bram", Scores(4, 4, 4), Now);
        assessment.RecordAdvice(Builders.ChairedCommittee(assessment.Data.RoundId), "chair", true, "A strong, well-supported plan.", Now);
        Assert.Equal(AssessmentStatus.Advised, assessment.Data.Status);
    }
}
