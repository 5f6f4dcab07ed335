using Grants.Domain.Common;
using Grants.Domain.FollowUp;

namespace Grants.Domain.Tests.FollowUp;

public sealed class SurveyTests
{
    private static readonly DateTimeOffset Draw = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Opens = Draw.AddMonths(12);

    private static Survey OpenSurvey(bool recipient = false)
    {
        var survey = Survey.Schedule("round-1", "app-1", "P-0001", 1, Opens, Opens.AddDays(56), reminderDays: 14, maxReminders: 2);
        survey.Open(Builders.FollowedUp, recipient, "r1", "contact@example.org", "nl", Survey.HashSecret("secret-1"), Opens);
        return survey;
    }

    /// <summary>Once the organisation withdrew its consent, nobody is invited, added or reminded, whoever asks; a refusal changes nothing.</summary>
    [Fact]
    public void NobodyIsInvitedAddedOrRemindedAfterConsentIsWithdrawn()
    {
        var withdrawn = Builders.FollowedUp with { ConsentWithdrawnAt = Opens.AddDays(-1) };
        var scheduled = Survey.Schedule("round-1", "app-1", "P-0001", 1, Opens, Opens.AddDays(56), reminderDays: 14, maxReminders: 2);
        Assert.Contains("withdrew its consent", Assert.Throws<InvalidTransitionException>(() => scheduled.Open(withdrawn, false, "r1", "contact@example.org", "nl", Survey.HashSecret("secret-1"), Opens)).Message, StringComparison.Ordinal);
        Assert.Equal(SurveyStatus.Scheduled, scheduled.Data.Status);

        var open = OpenSurvey();
        Assert.Throws<InvalidTransitionException>(() => open.AddRespondent(withdrawn, "r2", RespondentRoles.EmployeeRepresentative, "or@example.org", "nl", Survey.HashSecret("secret-2"), Opens.AddDays(1)));
        Assert.Throws<InvalidTransitionException>(() => open.Remind(withdrawn, "r1", Survey.HashSecret("secret-3"), Opens.AddDays(15)));
        Assert.Single(open.Data.Respondents);
        Assert.Equal(0, open.Data.Respondents[0].Reminders);
        Assert.Throws<ArgumentException>(() => open.AddRespondent(Builders.FollowedUp with { Id = "app-2" }, "r2", RespondentRoles.EmployeeRepresentative, "or@example.org", "nl", Survey.HashSecret("secret-2"), Opens.AddDays(1)));
    }

    [Fact]
    public void EveryUnitIsScheduledPerWaveWithADeterministicId()
    {
        var survey = Survey.Schedule("round-1", "app-1", "P-0001", 2, Opens, Opens.AddDays(56), 14, 2);
        Assert.Equal("survey-round-1-P-0001-w2", survey.Data.Id);
        Assert.Equal(SurveyStatus.Scheduled, survey.Data.Status);
        Assert.False(survey.IsDueToOpen(Opens.AddSeconds(-1)));
        Assert.True(survey.IsDueToOpen(Opens));
        Assert.Throws<DomainRuleException>(() => Survey.Schedule("round-1", "app-1", "P-0001", 1, Opens, Opens, 14, 2));
    }

    [Fact]
    public void OnlyTheRightSecretAuthenticatesItsRespondent()
    {
        var survey = OpenSurvey();
        Assert.Equal("r1", survey.Authenticate("r1", "secret-1")?.Id);
        Assert.Null(survey.Authenticate("r1", "secret-2"));
        Assert.Null(survey.Authenticate("r2", "secret-1"));
    }

    [Fact]
    public void PartialAnswersAreKeptAndASubmissionUsesTheTokenUp()
    {
        var survey = OpenSurvey();
        survey.Save("r1", new Dictionary<string, string> { ["project.smaller"] = "1", ["project.later"] = "1" }, submit: false, Opens.AddDays(1));
        survey.Save("r1", new Dictionary<string, string> { ["money_spent"] = "42000", ["productivity"] = SurveyCatalogue.DontKnow }, submit: true, Opens.AddDays(2));

        var respondent = survey.Data.Respondents.Single();
        Assert.Equal("1", respondent.Answers["project.smaller"]);
        Assert.Equal("42000", respondent.Answers["money_spent"]);
        Assert.Equal(Opens.AddDays(2), respondent.SubmittedAt);
        Assert.Equal(SurveyStatus.Completed, survey.Data.Status);
        Assert.Throws<InvalidTransitionException>(() => survey.Save("r1", new Dictionary<string, string> { ["money_spent"] = "1" }, true, Opens.AddDays(3)));
    }

    [Theory]
    [InlineData("turnover", "1", "turnover")]
    [InlineData("project.smaller", "yes", "project.smaller")]
    [InlineData("productivity", "6", "productivity")]
    [InlineData("money_spent", "-5", "money_spent")]
    [InlineData("start_month", "2026-13", "start_month")]
    [InlineData("counterfactual.as_planned", "1", "counterfactual.as_planned")]
    public void WrongAnswersAreRefusedAndNothingIsSaved(string key, string value, string field)
    {
        var survey = OpenSurvey(recipient: false);
        var error = Assert.Throws<DomainRuleException>(() => survey.Save("r1", new Dictionary<string, string> { [key] = value }, false, Opens.AddDays(1)));
        Assert.Contains(field, error.Errors.Keys);
        Assert.Empty(survey.Data.Respondents.Single().Answers);
    }

    [Fact]
    public void RecipientsAreAskedTheCounterfactualAndNotAtAllExcludesTheOtherOptions()
    {
        var survey = OpenSurvey(recipient: true);
        survey.Save("r1", new Dictionary<string, string> { ["counterfactual.as_planned"] = "1" }, false, Opens.AddDays(1));
        var error = Assert.Throws<DomainRuleException>(() => survey.Save("r1", new Dictionary<string, string> { ["project.not_at_all"] = "1", ["project.later"] = "1" }, false, Opens.AddDays(1)));
        Assert.Contains("project", error.Errors.Keys);
    }

    [Fact]
    public void SeveralRespondentsPerOrganisationEachWithARole()
    {
        var survey = OpenSurvey();
        survey.AddRespondent(Builders.FollowedUp, "r2", RespondentRoles.EmployeeRepresentative, "or@example.org", "en", Survey.HashSecret("secret-2"), Opens.AddDays(1));
        Assert.Equal(2, survey.Data.Respondents.Count);
        Assert.Equal("r1", survey.Data.Primary!.Id);
        Assert.Throws<DomainRuleException>(() => survey.AddRespondent(Builders.FollowedUp, "r3", "boss", "x@example.org", "en", "00", Opens));
        Assert.Throws<DomainRuleException>(() => survey.AddRespondent(Builders.FollowedUp, "r3", RespondentRoles.Other, "OR@example.org", "en", "00", Opens));

        survey.Save("r1", new Dictionary<string, string> { ["project.as_planned"] = "1" }, true, Opens.AddDays(2));
        Assert.Equal(SurveyStatus.Open, survey.Data.Status); // the employee representative has not answered yet
        survey.Save("r2", new Dictionary<string, string> { ["quality_of_work"] = "4" }, true, Opens.AddDays(3));
        Assert.Equal(SurveyStatus.Completed, survey.Data.Status);
    }

    [Fact]
    public void RemindersFollowTheCadenceAndStopAtTheMaximum()
    {
        var survey = OpenSurvey();
        Assert.Empty(survey.DueReminders(Opens.AddDays(13)));
        Assert.Single(survey.DueReminders(Opens.AddDays(14)));
        survey.Remind(Builders.FollowedUp, "r1", Survey.HashSecret("reminder-1"), Opens.AddDays(14));
        Assert.Equal("r1", survey.Authenticate("r1", "reminder-1")?.Id);
        Assert.Equal("r1", survey.Authenticate("r1", "secret-1")?.Id); // the invitation still works
        Assert.Empty(survey.DueReminders(Opens.AddDays(27)));
        survey.Remind(Builders.FollowedUp, "r1", Survey.HashSecret("reminder-2"), Opens.AddDays(28));
        Assert.Empty(survey.DueReminders(Opens.AddDays(50))); // two reminders sent
        Assert.Throws<InvalidTransitionException>(() => survey.Remind(Builders.FollowedUp, "r1", Survey.HashSecret("reminder-3"), Opens.AddDays(50)));
    }

    [Fact]
    public void AnsweringEndsAtTheClosingDateAndTheWaveCloses()
    {
        var survey = OpenSurvey();
        Assert.Throws<InvalidTransitionException>(() => survey.Save("r1", new Dictionary<string, string> { ["project.later"] = "1" }, false, Opens.AddDays(56)));
        Assert.Throws<InvalidTransitionException>(() => survey.AddRespondent(Builders.FollowedUp, "r2", RespondentRoles.Other, "late@example.org", "nl", "00", Opens.AddDays(56)));
        Assert.True(survey.IsDueToClose(Opens.AddDays(56)));
        survey.Close(Opens.AddDays(56));
        Assert.Equal(SurveyStatus.Closed, survey.Data.Status);
        Assert.Empty(survey.DueReminders(Opens.AddDays(70)));
    }

    [Fact]
    public void WithdrawingConsentErasesAnswersAndAddressesAndLocksTheToken()
    {
        var survey = OpenSurvey();
        survey.Save("r1", new Dictionary<string, string> { ["project.later"] = "1" }, true, Opens.AddDays(1));
        survey.Withdraw(Opens.AddDays(5));
        Assert.Equal(SurveyStatus.Withdrawn, survey.Data.Status);
        Assert.All(survey.Data.Respondents, r => Assert.Empty(r.Answers));
        Assert.All(survey.Data.Respondents, r => Assert.Equal(string.Empty, r.Email));
        Assert.Null(survey.Authenticate("r1", "secret-1"));
        Assert.Throws<InvalidTransitionException>(() => survey.Withdraw(Opens.AddDays(6)));
    }
}

public sealed class SurveyCatalogueTests
{
    [Theory]
    [InlineData("project")]
    [InlineData("counterfactual")]
    public void ExclusiveOptionsCannotBeTickedWithOthers(string item)
    {
        Assert.Contains(SurveyCatalogue.Problems(new Dictionary<string, string> { [$"{item}.not_at_all"] = "1", [$"{item}.later"] = "1" }, recipient: true), p => p.Field == item);
        Assert.Contains(SurveyCatalogue.Problems(new Dictionary<string, string> { [$"{item}.as_planned"] = "1", [$"{item}.smaller"] = "1" }, recipient: true), p => p.Field == item);
        Assert.Empty(SurveyCatalogue.Problems(new Dictionary<string, string> { [$"{item}.smaller"] = "1", [$"{item}.later"] = "1" }, recipient: true));
    }
}
