using System.Net;
using Grants.Contracts.Applications;
using Grants.Contracts.Lottery;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Decisions;

/// <summary>Awards through the ledger, four eyes above the threshold, and released budget going down the reserve list.</summary>
public sealed class DecisionTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(LotteryScenario.DrawnRound Drawn, List<ApplicationResponse> Applications)> PublishedAsync(long ceilingCents, long[] amounts)
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync(ceilingCents: ceilingCents, amounts: amounts);
        await scenario.RevealBothAsync(drawn);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));
        var current = new List<ApplicationResponse>();
        foreach (var application in drawn.Applications)
        {
            current.Add(await scenario.Read(drawn.Ministry, application.Id));
        }

        return (drawn, current);
    }

    [Fact]
    public async Task AwardAboveTheThresholdNeedsASecondPersonAndCommitsThroughTheLedger()
    {
        // The pool fits the budget: everyone is selected, including a 120,000 request above the four-eyes threshold.
        var (drawn, applications) = await PublishedAsync(1_000_000_00, [120_000_00, 60_000_00]);
        var large = applications.Single(a => a.Content.RequestedAmountCents == 120_000_00);
        var small = applications.Single(a => a.Content.RequestedAmountCents == 60_000_00);
        using var proposer = api.As(Roles.Ministry, subject: "beleidsmedewerker-a");
        using var approver = api.As(Roles.Ministry, subject: "teamleider-b");
        await new LotteryScenario(api).AssessAsync(drawn.Round.Id, small.Id, large.Id);

        var direct = await (await proposer.PostAsync($"api/applications/{small.Id}/award", HttpAssertions.Json(new AwardRequest(55_000_00)), Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal(("Awarded", "award", 55_000_00L), (direct.Status, direct.Decision!.Kind, direct.Decision.AmountCents!.Value));

        var proposed = await (await proposer.PostAsync($"api/applications/{large.Id}/award", HttpAssertions.Json(new AwardRequest(120_000_00)), Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal("AwardProposed", proposed.Status);
        var self = await proposer.PostAsync($"api/applications/{large.Id}/award/approve", null, Ct);
        var problem = await self.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        Assert.Contains("another person", problem.GetProperty("errors").GetProperty("approver")[0].GetString());
        var approved = await (await approver.PostAsync($"api/applications/{large.Id}/award/approve", null, Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal(("Awarded", "teamleider-b"), (approved.Status, approved.Decision!.ApprovedBy));

        var budget = await (await drawn.Ministry.GetAsync($"api/rounds/{drawn.Round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal(175_000_00, budget.CommittedCents);
        Assert.Equal(0, budget.ReservedCents);
        Assert.Equal(5_000_00, budget.ReleasedCents); // the 60,000 reservation was awarded 55,000
        await api.FireAsync(nameof(RelayOutbox));
        await api.Smtp.WaitForAsync(m => m.Subject == $"Beschikking: subsidie verleend voor aanvraag {small.ReceiptNumber}" && m.TextBody!.Contains("€ 55.000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RejectionAndDeclineEachOfferTheNextReserveEntry()
    {
        // Six equal requests of 100,000 for 300,000: three selected, three in reserve, and each release frees exactly one place.
        var (drawn, applications) = await PublishedAsync(300_000_00, [.. Enumerable.Repeat(100_000_00L, 6)]);
        var reserve = applications.Where(a => a.Status == "Reserve").OrderBy(a => a.Outcome!.ReservePosition).ToList();
        var selected = applications.Where(a => a.Status == "Selected").OrderBy(a => a.Outcome!.Rank).ToList();
        Assert.Equal((3, 3), (selected.Count, reserve.Count));

        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/applications/{selected[0].Id}/reject",
            HttpAssertions.Json(new RejectRequest(["assessment-negative"], "The committee advised against: no employee involvement.")), Ct));
        var firstOnReserve = await (await drawn.Ministry.GetAsync($"api/applications/{reserve[0].Id}", Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal("Selected", firstOnReserve.Status);

        await new LotteryScenario(api).AssessAsync(drawn.Round.Id, selected[1].Id);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/applications/{selected[1].Id}/award", HttpAssertions.Json(new AwardRequest(100_000_00)), Ct));
        using var grantee = api.As(Roles.Applicant, organisation: selected[1].OrganisationKvk);
        var declined = await (await grantee.PostAsync($"api/applications/{selected[1].Id}/award/answer", HttpAssertions.Json(new AnswerAwardRequest(false)), Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal(("Declined", "declined"), (declined.Status, declined.Decision!.Answer));
        var secondOnReserve = await (await drawn.Ministry.GetAsync($"api/applications/{reserve[1].Id}", Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal("Selected", secondOnReserve.Status);
        Assert.Equal("Reserve", (await (await drawn.Ministry.GetAsync($"api/applications/{reserve[2].Id}", Ct)).ReadAsync<ApplicationResponse>()).Status);

        using var anyone = api.Anonymous();
        Assert.True((await (await anyone.GetAsync($"api/rounds/{drawn.Round.Id}/lottery/verify", Ct)).ReadAsync<VerificationResponse>()).Verified);
        var budget = await (await drawn.Ministry.GetAsync($"api/rounds/{drawn.Round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal(300_000_00, budget.ReservedCents + budget.CommittedCents);
        Assert.Equal(0, budget.CommittedCents);
    }

    [Fact]
    public async Task ReservePositionsAndTheProtocolHashFollowEveryMoveUpTheList()
    {
        // Six equal requests of 100,000 for 300,000: three selected, three in reserve at places 1, 2 and 3.
        var (drawn, applications) = await PublishedAsync(300_000_00, [.. Enumerable.Repeat(100_000_00L, 6)]);
        var reserve = applications.Where(a => a.Status == "Reserve").OrderBy(a => a.Outcome!.ReservePosition).ToList();
        var selected = applications.Where(a => a.Status == "Selected").OrderBy(a => a.Outcome!.Rank).ToList();
        Assert.Equal([1, 2, 3], reserve.Select(a => a.Outcome!.ReservePosition!.Value));
        async Task<ApplicationResponse> AsItsApplicantSeesIt(ApplicationResponse application)
        {
            using var owner = api.As(Roles.Applicant, organisation: application.OrganisationKvk);
            return await (await owner.GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<ApplicationResponse>();
        }

        async Task<string> CurrentProtocolAsync() =>
            (await (await api.Anonymous().GetAsync($"api/rounds/{drawn.Round.Id}/lottery", Ct)).ReadAsync<LotteryStatusResponse>()).Draw!.ProtocolHash;

        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/applications/{selected[0].Id}/reject",
            HttpAssertions.Json(new RejectRequest(["ineligible"], "The project does not change how work is organised.")), Ct));

        var afterOneMove = await CurrentProtocolAsync();
        Assert.Equal(("reserve", 1, afterOneMove), Standing(await AsItsApplicantSeesIt(reserve[1])));
        Assert.Equal(("reserve", 2, afterOneMove), Standing(await AsItsApplicantSeesIt(reserve[2])));

        using var leaving = api.As(Roles.Applicant, organisation: selected[1].OrganisationKvk);
        await LotteryScenario.Ok(leaving.PostAsync($"api/applications/{selected[1].Id}/withdraw", HttpAssertions.Json(new WithdrawApplicationRequest("Our director left.")), Ct));

        var afterTwoMoves = await CurrentProtocolAsync();
        Assert.NotEqual(afterOneMove, afterTwoMoves);
        Assert.Equal(("selected", (int?)null, afterTwoMoves), Standing(await AsItsApplicantSeesIt(reserve[0])));
        Assert.Equal(("selected", (int?)null, afterTwoMoves), Standing(await AsItsApplicantSeesIt(reserve[1])));
        var last = await AsItsApplicantSeesIt(reserve[2]);
        Assert.Equal(("Reserve", "reserve", 1, afterTwoMoves), (last.Status, last.Outcome!.Result, last.Outcome.ReservePosition, last.Outcome.ProtocolHash));
        using var anyone = api.Anonymous();
        var protocol = await LotteryScenario.PublishedProtocolAsync(anyone, drawn.Round.Id, afterTwoMoves);
        Assert.Equal([last.PoolId!], protocol.Reserve);
        Assert.Equal(last.Outcome.Rank, protocol.Order.Single(o => o.Id == last.PoolId).Rank);
    }

    private static (string Result, int? ReservePosition, string ProtocolHash) Standing(ApplicationResponse application) =>
        (application.Outcome!.Result, application.Outcome.ReservePosition, application.Outcome.ProtocolHash);

    [Fact]
    public async Task AnotherOrganisationCannotAnswerAnAward()
    {
        var (drawn, applications) = await PublishedAsync(1_000_000_00, [60_000_00, 50_000_00]);
        var awarded = applications[0];
        await new LotteryScenario(api).AssessAsync(drawn.Round.Id, awarded.Id);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/applications/{awarded.Id}/award", HttpAssertions.Json(new AwardRequest(60_000_00)), Ct));
        using var intruder = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var response = await intruder.PostAsync($"api/applications/{awarded.Id}/award/answer", HttpAssertions.Json(new AnswerAwardRequest(false)), Ct);
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal("Awarded", (await (await drawn.Ministry.GetAsync($"api/applications/{awarded.Id}", Ct)).ReadAsync<ApplicationResponse>()).Status);
    }
}

public sealed class ObjectionTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UpheldObjectionLeadsToAnAwardWithinTheRemainingBudget()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync(ceilingCents: 1_000_000_00, amounts: [90_000_00, 70_000_00]);
        await scenario.RevealBothAsync(drawn);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));
        var rejected = drawn.Applications[0];
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/applications/{rejected.Id}/reject",
            HttpAssertions.Json(new RejectRequest(["assessment-negative"], "Employee involvement not shown.")), Ct));
        using var applicant = api.As(Roles.Applicant, organisation: rejected.OrganisationKvk);

        var lodged = await (await applicant.PostAsync($"api/applications/{rejected.Id}/objection",
            HttpAssertions.Json(new LodgeObjectionRequest("The works council's letter of support was in the project plan, page 4.")), Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal("UnderObjection", lodged.Status);
        var upheld = await (await drawn.Ministry.PostAsync($"api/applications/{rejected.Id}/objection/decision",
            HttpAssertions.Json(new DecideObjectionRequest(true, "The letter shows the works council co-designed the project.")), Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal("Selected", upheld.Status);
        await scenario.AssessAsync(drawn.Round.Id, rejected.Id);

        var awarded = await (await drawn.Ministry.PostAsync($"api/applications/{rejected.Id}/award", HttpAssertions.Json(new AwardRequest(90_000_00)), Ct)).ReadAsync<ApplicationResponse>();

        Assert.Equal("Awarded", awarded.Status);
        var budget = await (await drawn.Ministry.GetAsync($"api/rounds/{drawn.Round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.True(budget.CommittedCents + budget.ReservedCents <= budget.CeilingCents);
        Assert.Equal(90_000_00, budget.CommittedCents);
        using var auditor = api.As(Roles.Auditor);
        var trail = await (await auditor.GetAsync($"api/audit/{rejected.Id}", Ct)).ReadAsync<Grants.Contracts.Audit.AuditTrailResponse>();
        Assert.Equal(["ApplicationRejected", "ObjectionLodged", "ObjectionUpheld", "AwardDecided"], trail.Events.Select(e => e.Type).SkipWhile(t => t != "ApplicationRejected"));
    }

    /// <summary>Rejected before the committee advised, an application whose objection is upheld joins the committee's queue at once, as one moved up the reserve list does.</summary>
    [Fact]
    public async Task UpheldObjectionOnAnUnassessedRejectionPutsTheApplicationInTheCommitteesQueue()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync(ceilingCents: 1_000_000_00, amounts: [90_000_00, 70_000_00]);
        await scenario.RevealBothAsync(drawn);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));
        await scenario.CommitteeAsync(drawn.Round.Id);
        var rejected = drawn.Applications[0];
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/applications/{rejected.Id}/reject",
            HttpAssertions.Json(new RejectRequest(["ceiling-reached"], "Rejected before assessment.")), Ct));
        using var applicant = api.As(Roles.Applicant, organisation: rejected.OrganisationKvk);
        await LotteryScenario.Ok(applicant.PostAsync($"api/applications/{rejected.Id}/objection", HttpAssertions.Json(new LodgeObjectionRequest("The ceiling was not reached.")), Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await drawn.Ministry.GetAsync($"api/assessments/assessment-{rejected.Id}", Ct)).StatusCode);

        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/applications/{rejected.Id}/objection/decision",
            HttpAssertions.Json(new DecideObjectionRequest(true, "Budget remained; the application is back on the award path.")), Ct));

        var assessment = await drawn.Ministry.GetAsync($"api/assessments/assessment-{rejected.Id}", Ct);
        Assert.Equal(HttpStatusCode.OK, assessment.StatusCode);
        using var auditor = api.As(Roles.Auditor);
        var trail = await (await auditor.GetAsync($"api/audit/assessment-{rejected.Id}", Ct)).ReadAsync<Grants.Contracts.Audit.AuditTrailResponse>();
        Assert.Equal("system:objection", Assert.Single(trail.Events, e => e.Type == "AssessmentAssigned").Actor);
    }

    [Fact]
    public async Task ConcurrentAwardsStopExactlyAtTheCeiling()
    {
        // Six requests of 100,000 for 300,000. One selected application is rejected (its place goes to the
        // first on the reserve list), objects, and is upheld: now four may be awarded, but the budget holds three.
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync(ceilingCents: 300_000_00, amounts: [.. Enumerable.Repeat(100_000_00L, 6)]);
        await scenario.RevealBothAsync(drawn);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));
        var all = new List<ApplicationResponse>();
        foreach (var application in drawn.Applications)
        {
            all.Add(await scenario.Read(drawn.Ministry, application.Id));
        }

        var rejected = all.Where(a => a.Status == "Selected").OrderBy(a => a.Outcome!.Rank).First();
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/applications/{rejected.Id}/reject", HttpAssertions.Json(new RejectRequest(["assessment-negative"], "Weak plan.")), Ct));
        using var applicant = api.As(Roles.Applicant, organisation: rejected.OrganisationKvk);
        await LotteryScenario.Ok(applicant.PostAsync($"api/applications/{rejected.Id}/objection", HttpAssertions.Json(new LodgeObjectionRequest("The plan was misread.")), Ct));
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/applications/{rejected.Id}/objection/decision", HttpAssertions.Json(new DecideObjectionRequest(true, "It was misread.")), Ct));
        var awardable = new List<ApplicationResponse>();
        foreach (var application in drawn.Applications)
        {
            var current = await scenario.Read(drawn.Ministry, application.Id);
            if (current.Status == "Selected")
            {
                awardable.Add(current);
            }
        }

        Assert.Equal(4, awardable.Count);
        await scenario.AssessAsync(drawn.Round.Id, [.. awardable.Select(a => a.Id)]);
        using var second = api.As(Roles.Ministry, subject: "tweede-medewerker");
        var responses = await Task.WhenAll(awardable.Select((a, i) => (i % 2 == 0 ? drawn.Ministry : second)
            .PostAsync($"api/applications/{a.Id}/award", HttpAssertions.Json(new AwardRequest(100_000_00)), Ct)));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.Single(r => r.StatusCode != HttpStatusCode.OK);
        await refused.AssertProblemAsync(HttpStatusCode.Conflict, "ceiling-exceeded");
        Assert.Equal("Selected", (await scenario.Read(drawn.Ministry, rejected.Id)).Status);
        var budget = await (await drawn.Ministry.GetAsync($"api/rounds/{drawn.Round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal((300_000_00L, 300_000_00L), (budget.CommittedCents, budget.CeilingCents));
    }

    /// <summary>A published round that funds both applications, one applicant writing in Dutch and one in English; both rejected.</summary>
    private async Task<(LotteryScenario.DrawnRound Drawn, ApplicationResponse Dutch, ApplicationResponse English)> BothRejectedAsync()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync(ceilingCents: 1_000_000_00, amounts: [90_000_00, 70_000_00], languages: ["nl", "en"]);
        await scenario.RevealBothAsync(drawn);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));
        foreach (var application in drawn.Applications)
        {
            await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/applications/{application.Id}/reject",
                HttpAssertions.Json(new RejectRequest(["assessment-negative"], "Employee involvement not shown.")), Ct));
        }

        return (drawn, drawn.Applications[0], drawn.Applications[1]);
    }

    private static string Day(DateTimeOffset at, string culture) =>
        Grants.Domain.Common.AmsterdamTime.ToLocal(at).ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo(culture));

    private Task<MimeKit.MimeMessage> MailToAsync(ApplicationResponse application, string subjectStart) =>
        api.Smtp.WaitForAsync(m => m.To.Mailboxes.Single().Address == GrantBuilders.ContactEmail(application.OrganisationKvk)
            && m.Subject!.StartsWith(subjectStart, StringComparison.Ordinal) && m.Subject.Contains(application.ReceiptNumber!, StringComparison.Ordinal));

    [Fact]
    public async Task LodgedObjectionIsAcknowledgedWithItsDecisionDateAndShownToItsOwnApplicantOnly()
    {
        var (_, dutch, english) = await BothRejectedAsync();
        using var dutchApplicant = api.As(Roles.Applicant, organisation: dutch.OrganisationKvk);
        using var englishApplicant = api.As(Roles.Applicant, organisation: english.OrganisationKvk);
        const string grounds = "The works council's letter of support is in the project plan, page 4.";

        await LotteryScenario.Ok(dutchApplicant.PostAsync($"api/applications/{dutch.Id}/objection", HttpAssertions.Json(new LodgeObjectionRequest(grounds)), Ct));
        await LotteryScenario.Ok(englishApplicant.PostAsync($"api/applications/{english.Id}/objection", HttpAssertions.Json(new LodgeObjectionRequest(grounds)), Ct));

        var seen = await (await dutchApplicant.GetAsync($"api/applications/{dutch.Id}", Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal(("pending", grounds, null), (seen.Objection!.Outcome, seen.Objection.Grounds, seen.Objection.Reasoning));
        Assert.Equal(seen.Objection.LodgedAt.AddDays(42), seen.Objection.DecideBy);
        var englishSeen = await (await englishApplicant.GetAsync($"api/applications/{english.Id}", Ct)).ReadAsync<ApplicationResponse>();

        await api.FireAsync(nameof(RelayOutbox));
        var acknowledged = await MailToAsync(dutch, "Ontvangstbevestiging bezwaar");
        Assert.Contains(Day(seen.Objection.DecideBy, "nl-NL"), acknowledged.TextBody);
        Assert.Contains("bezwaar gegrond", acknowledged.TextBody);
        var acknowledgedInEnglish = await MailToAsync(english, "Acknowledgement of your objection");
        Assert.Contains(Day(englishSeen.Objection!.DecideBy, "en-GB"), acknowledgedInEnglish.TextBody);
        Assert.Contains("uphold your objection", acknowledgedInEnglish.TextBody);

        // Another organisation sees neither the objection nor its grounds.
        using var intruder = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var refused = await intruder.GetAsync($"api/applications/{dutch.Id}", Ct);
        await refused.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.DoesNotContain("works council", await refused.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task DecidedObjectionIsShownWithItsReasoningAndLetteredUpheldOrDismissedInTheApplicantsLanguage()
    {
        var (drawn, dutch, english) = await BothRejectedAsync();
        using var dutchApplicant = api.As(Roles.Applicant, organisation: dutch.OrganisationKvk);
        using var englishApplicant = api.As(Roles.Applicant, organisation: english.OrganisationKvk);
        await LotteryScenario.Ok(dutchApplicant.PostAsync($"api/applications/{dutch.Id}/objection", HttpAssertions.Json(new LodgeObjectionRequest("The plan was misread.")), Ct));
        await LotteryScenario.Ok(englishApplicant.PostAsync($"api/applications/{english.Id}/objection", HttpAssertions.Json(new LodgeObjectionRequest("The plan was misread.")), Ct));
        const string upheldBecause = "The letter in the plan shows the works council co-designed the project.";
        const string dismissedBecause = "The plan names no role for employees in any phase of the project.";

        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/applications/{dutch.Id}/objection/decision", HttpAssertions.Json(new DecideObjectionRequest(true, upheldBecause)), Ct));
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/applications/{english.Id}/objection/decision", HttpAssertions.Json(new DecideObjectionRequest(false, dismissedBecause)), Ct));

        var upheld = await (await dutchApplicant.GetAsync($"api/applications/{dutch.Id}", Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal(("upheld", upheldBecause), (upheld.Objection!.Outcome, upheld.Objection.Reasoning));
        Assert.NotNull(upheld.Objection.DecidedAt);
        var dismissed = await (await englishApplicant.GetAsync($"api/applications/{english.Id}", Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal(("dismissed", dismissedBecause, "rejection"), (dismissed.Objection!.Outcome, dismissed.Objection.Reasoning, dismissed.Decision!.Kind));

        await api.FireAsync(nameof(RelayOutbox));
        var upheldLetter = await MailToAsync(dutch, "Beslissing op bezwaar");
        Assert.Contains("gegrond", upheldLetter.Subject);
        Assert.DoesNotContain("ongegrond", upheldLetter.Subject);
        Assert.Contains(upheldBecause, upheldLetter.TextBody);
        var dismissedLetter = await MailToAsync(english, "Decision on your objection");
        Assert.Contains("dismissed", dismissedLetter.Subject);
        Assert.Contains(dismissedBecause, dismissedLetter.TextBody);
        Assert.Contains("appeal", dismissedLetter.TextBody);

        using var intruder = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        await (await intruder.GetAsync($"api/applications/{english.Id}", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task AnotherOrganisationCannotObject()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync(ceilingCents: 1_000_000_00, amounts: [90_000_00, 70_000_00]);
        await scenario.RevealBothAsync(drawn);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/applications/{drawn.Applications[0].Id}/reject",
            HttpAssertions.Json(new RejectRequest(["ineligible"], "Not a workplace innovation.")), Ct));
        using var intruder = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var response = await intruder.PostAsync($"api/applications/{drawn.Applications[0].Id}/objection", HttpAssertions.Json(new LodgeObjectionRequest("Not ours, but we object.")), Ct);
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }
}

/// <summary>Awards that nobody accepts lapse when time passes, on a host whose clock the test moves.</summary>
public sealed class AwardLapseTests(ClockedGrantsApi api) : IClassFixture<ClockedGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnansweredAwardLapsesAndItsBudgetGoesToTheNextOnTheReserveList()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync(ceilingCents: 200_000_00, amounts: [.. Enumerable.Repeat(100_000_00L, 3)]);
        await scenario.RevealBothAsync(drawn);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));
        var all = new List<ApplicationResponse>();
        foreach (var application in drawn.Applications)
        {
            all.Add(await scenario.Read(drawn.Ministry, application.Id));
        }

        var awarded = all.First(a => a.Status == "Selected");
        var waiting = all.Single(a => a.Status == "Reserve");
        await scenario.AssessAsync(drawn.Round.Id, awarded.Id);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/applications/{awarded.Id}/award", HttpAssertions.Json(new AwardRequest(100_000_00)), Ct));

        api.Advance(TimeSpan.FromDays(27));
        await api.FireAsync(nameof(Grants.Functions.Decisions.LapseAwards));
        Assert.Equal("Awarded", (await scenario.Read(drawn.Ministry, awarded.Id)).Status);

        api.Advance(TimeSpan.FromDays(2));
        await api.FireAsync(nameof(Grants.Functions.Decisions.LapseAwards));

        var lapsed = await scenario.Read(drawn.Ministry, awarded.Id);
        Assert.Equal(("Declined", "lapsed"), (lapsed.Status, lapsed.Decision!.Answer));
        Assert.Equal("Selected", (await scenario.Read(drawn.Ministry, waiting.Id)).Status);
        // The round assesses after the draw: the one who moved up is in the committee's queue, like those the draw selected.
        var queued = await (await drawn.Ministry.GetAsync($"api/assessments/assessment-{waiting.Id}", Ct)).ReadAsync<Grants.Contracts.Assessments.AssessmentResponse>();
        Assert.Equal(("Assigned", 2), (queued.Status, queued.Members.Count));
        var budget = await (await drawn.Ministry.GetAsync($"api/rounds/{drawn.Round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal((0L, 200_000_00L), (budget.CommittedCents, budget.ReservedCents));
    }
}
