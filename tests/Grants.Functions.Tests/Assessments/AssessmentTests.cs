using System.Net;
using Grants.Contracts.Applications;
using Grants.Contracts.Assessments;
using Grants.Contracts.Lottery;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Assessments;

/// <summary>The committee after the draw, over HTTP on Azurite: conflicts keep members away, scores are justified and immutable.</summary>
public sealed class AssessmentTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly CriterionDto[] Criteria =
    [
        new("fit", "Fit with the themes", 1, 5, 1), new("quality", "Quality of the plan", 1, 5, 2),
        new("involvement", "Employee involvement", 1, 5, 1), new("feasibility", "Feasibility", 1, 5, 1),
    ];

    private static ScoreDto[] Scores(int value) =>
    [
        new("fit", value, "Clearly about smarter working."), new("quality", value, "Milestones and budget match."),
        new("involvement", value, "Works council co-wrote the plan."), new("feasibility", value, "Realistic for a 90-person firm."),
    ];

    private sealed record Committee(string RoundId, List<ApplicationResponse> Selected, HttpClient Ministry, string[] Members);

    /// <summary>A published draw and a committee of three (plus chair), unique per test.</summary>
    private async Task<Committee> CommitteeAfterDrawAsync()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync();
        await scenario.RevealBothAsync(drawn);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string[] members = [$"anna-{suffix}", $"bram-{suffix}", $"cees-{suffix}"];
        await LotteryScenario.Ok(drawn.Ministry.PutAsync($"api/rounds/{drawn.Round.Id}/committee",
            HttpAssertions.Json(new SetCommitteeRequest($"voorzitter-{suffix}", members, Criteria, 3.0)), Ct));
        var selected = new List<ApplicationResponse>();
        foreach (var application in drawn.Applications)
        {
            var read = await drawn.Ministry.GetAsync($"api/applications/{application.Id}", Ct);
            var current = await read.ReadAsync<ApplicationResponse>();
            if (current.Status == "Selected")
            {
                selected.Add(current);
            }
        }

        Assert.True(selected.Count >= 2, "the scenario should select at least two applications");
        return new Committee(drawn.Round.Id, [.. selected.OrderBy(a => a.Outcome!.Rank)], drawn.Ministry, members);
    }

    private HttpClient Assessor(string subject) => api.As(Roles.Assessor, subject: subject);

    /// <summary>
    /// A cap on each member's assessments (docs/decisions/0020): three members at one each have room for one pair, so one
    /// selected application is assigned, with why in its audit trail, and the operation lists every other one as
    /// skipped, saying the members free of conflicts are at the cap.
    /// </summary>
    [Fact]
    public async Task UnderACapTheAssignmentCoversWhatTheCommitteeHasRoomForAndSaysWhyForTheRest()
    {
        var committee = await CommitteeAfterDrawAsync();
        var capped = await (await committee.Ministry.PutAsync($"api/rounds/{committee.RoundId}/committee",
            HttpAssertions.Json(new SetCommitteeRequest($"voorzitter-{committee.Members[0][^6..]}", committee.Members, Criteria, 3.0, MaxAssessmentsPerMember: 1)), Ct)).ReadAsync<CommitteeResponse>();
        Assert.Equal(1, capped.MaxAssessmentsPerMember);
        await (await committee.Ministry.PutAsync($"api/rounds/{committee.RoundId}/committee",
            HttpAssertions.Json(new SetCommitteeRequest("voorzitter", committee.Members, Criteria, 3.0, MaxAssessmentsPerMember: 0)), Ct))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");

        var operation = await (await committee.Ministry.PostAsync($"api/rounds/{committee.RoundId}/assessments/assign", null, Ct)).ReadFinishedOperationAsync(committee.Ministry);

        Assert.Equal((1, 1), (operation.Total, operation.Done));
        Assert.Equal(committee.Selected.Count - 1, operation.Skipped.Count);
        Assert.All(operation.Skipped, s => Assert.Contains("are at the cap of 1 assessment each", s));
        var assigned = committee.Selected.Single(a => operation.Skipped.All(s => !s.StartsWith(a.Id, StringComparison.Ordinal)));
        using var auditor = api.As(Roles.Auditor);
        var trail = await (await auditor.GetAsync($"api/audit/assessment-{assigned.Id}", Ct)).ReadAsync<Grants.Contracts.Audit.AuditTrailResponse>();
        Assert.Contains("free of conflicts; loads after assignment ", Assert.Single(trail.Events, e => e.Type == "AssessmentAssigned").Payload);
    }

    [Fact]
    public async Task TheMinistryMovesAnAssessmentOnlyToAMemberOfTheCommittee()
    {
        var committee = await CommitteeAfterDrawAsync();
        await LotteryScenario.Ok(committee.Ministry.PostAsync($"api/rounds/{committee.RoundId}/assessments/assign", null, Ct));
        var assessmentId = $"assessment-{committee.Selected[0].Id}";
        var assessment = await (await committee.Ministry.GetAsync($"api/assessments/{assessmentId}", Ct)).ReadAsync<AssessmentResponse>();
        var (from, to) = (assessment.Members[0], committee.Members.Except(assessment.Members).Single());

        await (await committee.Ministry.PostAsync($"api/assessments/{assessmentId}/reassign", HttpAssertions.Json(new ReassignRequest(from, "somebody-else", "Ill for a month")), Ct))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        var moved = await (await committee.Ministry.PostAsync($"api/assessments/{assessmentId}/reassign", HttpAssertions.Json(new ReassignRequest(from, to, "Ill for a month")), Ct)).ReadAsync<AssessmentResponse>();

        Assert.Contains(to, moved.Members);
        Assert.DoesNotContain(from, moved.Members);
        var mine = await (await Assessor(to).GetAsync("api/assessors/me/assessments", Ct)).ReadAsync<List<AssessmentResponse>>();
        Assert.Contains(mine, a => a.Id == assessmentId);
    }

    [Fact]
    public async Task ConflictedAssessorIsNeverAssignedAndCannotSeeTheCaseItsFilesOrScores()
    {
        var committee = await CommitteeAfterDrawAsync();
        var target = committee.Selected[0];
        using var anna = Assessor(committee.Members[0]);
        await LotteryScenario.Ok(anna.PostAsync($"api/rounds/{committee.RoundId}/committee/conflicts",
            HttpAssertions.Json(new DeclareConflictRequest(target.OrganisationKvk, null, "employer", "Worked there until last year.")), Ct));

        var assignment = await (await committee.Ministry.PostAsync($"api/rounds/{committee.RoundId}/assessments/assign", null, Ct)).ReadFinishedOperationAsync(committee.Ministry);

        Assert.Equal((committee.Selected.Count, committee.Selected.Count), (assignment.Total, assignment.Done));
        Assert.Empty(assignment.Skipped);
        var assessmentId = $"assessment-{target.Id}";
        var assessment = await (await committee.Ministry.GetAsync($"api/assessments/{assessmentId}", Ct)).ReadAsync<AssessmentResponse>();
        Assert.DoesNotContain(committee.Members[0], assessment.Members);
        Assert.Equal(2, assessment.Members.Count);
        await (await anna.GetAsync($"api/applications/{target.Id}", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await anna.GetAsync($"api/applications/{target.Id}/attachments/project-plan", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await anna.GetAsync($"api/assessments/{assessmentId}", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        var mine = await (await anna.GetAsync("api/assessors/me/assessments", Ct)).ReadAsync<List<AssessmentResponse>>();
        Assert.DoesNotContain(mine, a => a.ApplicationId == target.Id);

        // An assigned member without conflict does see the case and its files.
        using var assigned = Assessor(assessment.Members[0]);
        Assert.Equal(HttpStatusCode.OK, (await assigned.GetAsync($"api/applications/{target.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await assigned.GetAsync($"api/applications/{target.Id}/attachments/project-plan", Ct)).StatusCode);
        // An assessor not assigned to it does not.
        var outsider = committee.Members.Except(assessment.Members).Except([committee.Members[0]]).FirstOrDefault();
        if (outsider is not null)
        {
            using var other = Assessor(outsider);
            await (await other.GetAsync($"api/applications/{target.Id}", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
    }

    [Fact]
    public async Task TwoAssessorsScoreWithJustificationsAndScoresCannotBeChanged()
    {
        var committee = await CommitteeAfterDrawAsync();
        await LotteryScenario.Ok(committee.Ministry.PostAsync($"api/rounds/{committee.RoundId}/assessments/assign", null, Ct));
        var assessmentId = $"assessment-{committee.Selected[0].Id}";
        var assessment = await (await committee.Ministry.GetAsync($"api/assessments/{assessmentId}", Ct)).ReadAsync<AssessmentResponse>();
        using var first = Assessor(assessment.Members[0]);
        using var second = Assessor(assessment.Members[1]);

        var afterFirst = await (await first.PostAsync($"api/assessments/{assessmentId}/scores", HttpAssertions.Json(new SubmitScoresRequest(Scores(4))), Ct)).ReadAsync<AssessmentResponse>();
        Assert.Equal("Assigned", afterFirst.Status);

        // No anchoring: the second member sees nobody's scores before submitting their own.
        var secondView = await (await second.GetAsync($"api/assessments/{assessmentId}", Ct)).ReadAsync<AssessmentResponse>();
        Assert.Empty(secondView.Sheets);
        Assert.Null(secondView.Aggregate);

        var changed = await first.PostAsync($"api/assessments/{assessmentId}/scores", HttpAssertions.Json(new SubmitScoresRequest(Scores(1))), Ct);
        await changed.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");

        var scored = await (await second.PostAsync($"api/assessments/{assessmentId}/scores", HttpAssertions.Json(new SubmitScoresRequest(Scores(2))), Ct)).ReadAsync<AssessmentResponse>();
        Assert.Equal("Scored", scored.Status);
        Assert.Equal(2, scored.Sheets.Count);
        Assert.Equal(3.0, scored.Aggregate!.WeightedTotal, 10);
        Assert.All(scored.Sheets.SelectMany(s => s.Scores), s => Assert.False(string.IsNullOrWhiteSpace(s.Justification)));

        var correction = await (await first.PostAsync($"api/assessments/{assessmentId}/scores/{afterFirst.Sheets[0].SheetId}/corrections",
            HttpAssertions.Json(new SubmitScoresRequest(Scores(3))), Ct)).ReadAsync<AssessmentResponse>();
        Assert.Equal(3, correction.Sheets.Count);
        Assert.Equal(afterFirst.Sheets[0].SheetId, correction.Sheets[^1].Corrects);
        Assert.Contains(correction.Sheets, s => s.SheetId == afterFirst.Sheets[0].SheetId && s.Scores.All(x => x.Score == 4));

        using var chair = Assessor($"voorzitter-{committee.Members[0].Split('-')[1]}");
        var advised = await (await chair.PostAsync($"api/assessments/{assessmentId}/advice", HttpAssertions.Json(new AdviceRequest(false, "Sound, but employee involvement is thin.")), Ct)).ReadAsync<AssessmentResponse>();
        Assert.Equal("Advised", advised.Status);
        await (await first.PostAsync($"api/assessments/{assessmentId}/advice", HttpAssertions.Json(new AdviceRequest(true, "I am not the chair.")), Ct))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    public static TheoryData<string, string> BadScores => new()
    {
        { "missing justification", """{"scores":[{"criterion":"fit","score":4,"justification":""},{"criterion":"quality","score":4,"justification":"ok"},{"criterion":"involvement","score":4,"justification":"ok"},{"criterion":"feasibility","score":4,"justification":"ok"}]}""" },
        { "unknown criterion", """{"scores":[{"criterion":"luck","score":4,"justification":"ok"},{"criterion":"quality","score":4,"justification":"ok"},{"criterion":"involvement","score":4,"justification":"ok"},{"criterion":"feasibility","score":4,"justification":"ok"}]}""" },
        { "out of range", """{"scores":[{"criterion":"fit","score":9,"justification":"ok"},{"criterion":"quality","score":4,"justification":"ok"},{"criterion":"involvement","score":4,"justification":"ok"},{"criterion":"feasibility","score":4,"justification":"ok"}]}""" },
        { "criterion missing", """{"scores":[{"criterion":"fit","score":4,"justification":"ok"}]}""" },
    };

    [Theory]
    [MemberData(nameof(BadScores))]
    public async Task BadScoresGetAProblemAndNothingIsStored(string because, string body)
    {
        var committee = await CommitteeAfterDrawAsync();
        await LotteryScenario.Ok(committee.Ministry.PostAsync($"api/rounds/{committee.RoundId}/assessments/assign", null, Ct));
        var assessmentId = $"assessment-{committee.Selected[0].Id}";
        var assessment = await (await committee.Ministry.GetAsync($"api/assessments/{assessmentId}", Ct)).ReadAsync<AssessmentResponse>();
        using var member = Assessor(assessment.Members[0]);

        var response = await member.PostAsync($"api/assessments/{assessmentId}/scores", HttpAssertions.Json(body), Ct);

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        var after = await (await committee.Ministry.GetAsync($"api/assessments/{assessmentId}", Ct)).ReadAsync<AssessmentResponse>();
        Assert.Empty(after.Sheets);
        Assert.Equal(assessment.Version, after.Version);
        _ = because; // names the case in the test report
    }

    [Fact]
    public async Task ConflictDeclaredAfterAssignmentMovesTheWork()
    {
        var committee = await CommitteeAfterDrawAsync();
        await LotteryScenario.Ok(committee.Ministry.PostAsync($"api/rounds/{committee.RoundId}/assessments/assign", null, Ct));
        var target = committee.Selected[0];
        var before = await (await committee.Ministry.GetAsync($"api/assessments/assessment-{target.Id}", Ct)).ReadAsync<AssessmentResponse>();
        var leaving = before.Members[0];
        using var member = Assessor(leaving);

        await LotteryScenario.Ok(member.PostAsync($"api/rounds/{committee.RoundId}/committee/conflicts",
            HttpAssertions.Json(new DeclareConflictRequest(null, target.Id, "family", "My brother-in-law leads the project.")), Ct));

        var after = await (await committee.Ministry.GetAsync($"api/assessments/assessment-{target.Id}", Ct)).ReadAsync<AssessmentResponse>();
        Assert.DoesNotContain(leaving, after.Members);
        Assert.Equal(2, after.Members.Count);
        await (await member.GetAsync($"api/applications/{target.Id}", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }
}

/// <summary>"Assess then lottery": the committee judges every eligible application first; only those it advises positively are drawn from.</summary>
public sealed class AssessThenLotteryTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly CriterionDto[] Criteria = [new("quality", "Quality of the plan", 1, 5, 1)];

    [Fact]
    public async Task OnlyPositivelyAdvisedApplicationsEnterThePool()
    {
        var round = await api.OpenRoundAsync(adjust: c => c with
        {
            BudgetCeilingCents = 150_000_00,
            MaxPerApplicationCents = 120_000_00,
            Allocation = new Grants.Contracts.Rounds.AllocationDesignDto("skip", "assess-then-lottery", "none"),
        });
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var submitted = new List<ApplicationResponse>();
        foreach (var amount in new long[] { 100_000_00, 90_000_00, 80_000_00, 70_000_00 })
        {
            using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
            submitted.Add(await applicant.SubmittedAsync(round.Id, GrantBuilders.Content(amountCents: amount)));
        }

        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/close", null, Ct));
        foreach (var application in submitted)
        {
            await LotteryScenario.Ok(ministry.PostAsync($"api/applications/{application.Id}/eligibility", HttpAssertions.Json(new DecideEligibilityRequest("eligible")), Ct));
        }

        var suffix = Guid.NewGuid().ToString("N")[..6];
        await LotteryScenario.Ok(ministry.PutAsync($"api/rounds/{round.Id}/committee",
            HttpAssertions.Json(new SetCommitteeRequest($"chair-{suffix}", [$"anna-{suffix}", $"bram-{suffix}"], Criteria, 3.0)), Ct));
        var assignment = await (await ministry.PostAsync($"api/rounds/{round.Id}/assessments/assign", null, Ct)).ReadFinishedOperationAsync(ministry);
        Assert.Equal(4, assignment.Done);

        // The pool cannot freeze while advice is pending.
        using var staff = api.As(Roles.Ministry, waitForOperations: false);
        var refused = await (await staff.PostAsync($"api/rounds/{round.Id}/pool/freeze", null, Ct)).ReadRefusedOperationAsync(staff);
        Assert.Equal("the committee's advice is still missing for 4 eligible applications, and this round assesses before the draw", refused.Refusal);

        using var anna = api.As(Roles.Assessor, subject: $"anna-{suffix}");
        using var bram = api.As(Roles.Assessor, subject: $"bram-{suffix}");
        using var chair = api.As(Roles.Assessor, subject: $"chair-{suffix}");
        var negative = submitted[^1];
        foreach (var application in submitted)
        {
            var score = application.Id == negative.Id ? 2 : 4;
            foreach (var member in new[] { anna, bram })
            {
                await LotteryScenario.Ok(member.PostAsync($"api/assessments/assessment-{application.Id}/scores",
                    HttpAssertions.Json(new SubmitScoresRequest([new ScoreDto("quality", score, "Judged on the plan's milestones.")])), Ct));
            }

            await LotteryScenario.Ok(chair.PostAsync($"api/assessments/assessment-{application.Id}/advice",
                HttpAssertions.Json(new AdviceRequest(score >= 3, score >= 3 ? "Fundable." : "Not fundable: no milestones.")), Ct));
        }

        await (await ministry.PostAsync($"api/rounds/{round.Id}/pool/freeze", null, Ct)).ReadAsync<Grants.Contracts.Rounds.RoundResponse>(HttpStatusCode.Accepted);

        var frozen = await (await ministry.GetAsync($"api/rounds/{round.Id}", Ct)).ReadAsync<Grants.Contracts.Rounds.RoundResponse>();
        Assert.Equal(3, frozen.PoolSize);
        var pool = await (await ministry.GetAsync($"api/rounds/{round.Id}/pool", Ct)).ReadAsync<Grants.Contracts.Rounds.PoolResponse>();
        Assert.DoesNotContain(pool.Entries, e => e.ApplicationId == negative.Id);
        Assert.Equal("Eligible", (await (await ministry.GetAsync($"api/applications/{negative.Id}", Ct)).ReadAsync<ApplicationResponse>()).Status);
    }
}

/// <summary>
/// "Lottery then assess": whoever the lottery or the reserve list selects is assessed before the ministry
/// decides. An application that moves up the reserve list joins the committee's queue and cannot be
/// awarded until the committee has advised on it.
/// </summary>
public sealed class AssessmentBeforeAwardTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Drawn(LotteryScenario Scenario, LotteryScenario.DrawnRound Round, List<ApplicationResponse> Selected, List<ApplicationResponse> Reserve);

    /// <summary>Six equal requests for a ceiling that funds three, drawn and published; the committee constituted and the selected three assigned.</summary>
    private async Task<Drawn> AssignedAfterDrawAsync(long amount)
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync(ceilingCents: 3 * amount, amounts: [.. Enumerable.Repeat(amount, 6)]);
        await scenario.RevealBothAsync(drawn);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));
        var all = new List<ApplicationResponse>();
        foreach (var application in drawn.Applications)
        {
            all.Add(await scenario.Read(drawn.Ministry, application.Id));
        }

        await scenario.CommitteeAsync(drawn.Round.Id);
        var assignment = await (await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/assessments/assign", null, Ct)).ReadFinishedOperationAsync(drawn.Ministry);
        Assert.Equal(3, assignment.Done);
        return new Drawn(scenario, drawn, [.. all.Where(a => a.Status == "Selected").OrderBy(a => a.Outcome!.Rank)],
            [.. all.Where(a => a.Status == "Reserve").OrderBy(a => a.Outcome!.ReservePosition)]);
    }

    private async Task<AssessmentResponse> AssignedAssessmentAsync(HttpClient ministry, ApplicationResponse application)
    {
        var assessment = await (await ministry.GetAsync($"api/assessments/assessment-{application.Id}", Ct)).ReadAsync<AssessmentResponse>();
        Assert.Equal(("Assigned", 2, application.Outcome!.Rank), (assessment.Status, assessment.Members.Count, assessment.Rank));
        return assessment;
    }

    [Fact]
    public async Task ApplicationMovedUpFromTheReserveListIsAssignedAndCannotBeAwardedBeforeTheCommitteeAdvises()
    {
        // 110,000 each: above the four-eyes threshold, so an award is proposed and needs a second person's approval.
        var drawn = await AssignedAfterDrawAsync(110_000_00);
        var ministry = drawn.Round.Ministry;
        await LotteryScenario.Ok(ministry.PostAsync($"api/applications/{drawn.Selected[0].Id}/reject",
            HttpAssertions.Json(new RejectRequest(["ineligible"], "The project does not change how work is organised.")), Ct));
        var movedUp = drawn.Reserve[0];
        Assert.Equal("Selected", (await drawn.Scenario.Read(ministry, movedUp.Id)).Status);

        await AssignedAssessmentAsync(ministry, movedUp);
        var refused = await ministry.PostAsync($"api/applications/{movedUp.Id}/award", HttpAssertions.Json(new AwardRequest(110_000_00)), Ct);
        var detail = (await refused.AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition")).GetProperty("detail").GetString();
        Assert.Contains("advised", detail);
        Assert.Equal("Selected", (await drawn.Scenario.Read(ministry, movedUp.Id)).Status);
        // The applications selected in the draw wait for their advice just the same.
        await (await ministry.PostAsync($"api/applications/{drawn.Selected[1].Id}/award", HttpAssertions.Json(new AwardRequest(110_000_00)), Ct))
            .AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        var budget = await (await ministry.GetAsync($"api/rounds/{drawn.Round.Round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal(0, budget.CommittedCents);

        await drawn.Scenario.AssessAsync(drawn.Round.Round.Id, movedUp.Id);
        var proposed = await (await ministry.PostAsync($"api/applications/{movedUp.Id}/award", HttpAssertions.Json(new AwardRequest(110_000_00)), Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal("AwardProposed", proposed.Status);
        using var approver = api.As(Roles.Ministry, subject: "teamleider");
        Assert.Equal("Awarded", (await (await approver.PostAsync($"api/applications/{movedUp.Id}/award/approve", null, Ct)).ReadAsync<ApplicationResponse>()).Status);
    }

    [Fact]
    public async Task ATopUpAWithdrawalAndADeclineEachPutTheNextOnTheReserveListInTheCommitteesQueue()
    {
        var drawn = await AssignedAfterDrawAsync(100_000_00);
        var ministry = drawn.Round.Ministry;
        var roundId = drawn.Round.Round.Id;

        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{roundId}/budget/top-ups", HttpAssertions.Json(new TopUpRequest(100_000_00, "Extra funds from the ESF reserve")), Ct));
        using var leaving = api.As(Roles.Applicant, organisation: drawn.Selected[0].OrganisationKvk);
        await LotteryScenario.Ok(leaving.PostAsync($"api/applications/{drawn.Selected[0].Id}/withdraw", HttpAssertions.Json(new WithdrawApplicationRequest("Our director left.")), Ct));
        await drawn.Scenario.AwardAsync(drawn.Selected[1]);
        using var declining = api.As(Roles.Applicant, organisation: drawn.Selected[1].OrganisationKvk);
        await LotteryScenario.Ok(declining.PostAsync($"api/applications/{drawn.Selected[1].Id}/award/answer", HttpAssertions.Json(new AnswerAwardRequest(false)), Ct));

        foreach (var movedUp in drawn.Reserve)
        {
            Assert.Equal("Selected", (await drawn.Scenario.Read(ministry, movedUp.Id)).Status);
            await AssignedAssessmentAsync(ministry, movedUp);
            await (await ministry.PostAsync($"api/applications/{movedUp.Id}/award", HttpAssertions.Json(new AwardRequest(100_000_00)), Ct))
                .AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        }

        // The assignment the ministry runs later finds nothing left to assign.
        var later = await (await ministry.PostAsync($"api/rounds/{roundId}/assessments/assign", null, Ct)).ReadFinishedOperationAsync(ministry);
        Assert.Equal((0, 0), (later.Total, later.Done));
    }
}
