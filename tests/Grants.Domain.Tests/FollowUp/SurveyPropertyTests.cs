using CsCheck;
using Grants.Domain.FollowUp;

namespace Grants.Domain.Tests.FollowUp;

/// <summary>
/// A follow-up survey as a property: random sequences of opening (for recipients and others),
/// adding respondents (known roles and unknown ones, repeated addresses in another case, beyond the
/// maximum), reminders (by hand and by the timer), partial and final answers (valid, invalid, a
/// counterfactual from a non-recipient, contradictory ticks, cleared questions), closing and
/// withdrawal of consent, with time moving forward and back across the wave's end. After every step
/// the status is one the machine can reach and one the command's trigger leads to; a refused command
/// changes nothing; every stored answer is one the catalogue accepts; a submitted questionnaire never
/// changes; the survey is completed exactly when every respondent has submitted; and once consent is
/// withdrawn the answers, addresses and tokens are gone and stay gone.
/// </summary>
public sealed class SurveyPropertyTests
{
    private static readonly DateTimeOffset Opens = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly StateMachineGraph Machine = StateMachineGraph.Parse(Survey.Diagram());

    private static readonly string[] Emails = ["contact@example.org", "works-council@example.org", "CONTACT@example.org", "hr@example.org", "finance@example.org", "it@example.org"];

    private static readonly string[] Roles = [RespondentRoles.Management, RespondentRoles.EmployeeRepresentative, RespondentRoles.Other, "auditor"];

    private static readonly IReadOnlyDictionary<string, string>[] Answers =
    [
        new Dictionary<string, string> { ["project.smaller"] = "1", ["project.later"] = "1", ["productivity"] = "4" },
        new Dictionary<string, string> { ["money_spent"] = "42000", ["start_month"] = "2026-09", ["innovation"] = SurveyCatalogue.DontKnow },
        new Dictionary<string, string> { ["counterfactual.not_at_all"] = "1" },
        new Dictionary<string, string> { ["productivity"] = "9" },
        new Dictionary<string, string> { ["project.not_at_all"] = "1", ["project.as_planned"] = "1" },
        new Dictionary<string, string> { ["favourite_colour"] = "blue" },
    ];

    /// <summary>Closing and withdrawing end the conversation: rarer than the rest, so that the answers get their turn.</summary>
    private static readonly Gen<Command> Commands =
        Gen.Frequency((1, Gen.Const(Command.Withdraw)), (1, Gen.Const(Command.Close)), (40, Gen.Enum<Command>().Where(c => c is not (Command.Withdraw or Command.Close))));

    /// <summary>Most sequences start with the survey opened on its date, for a recipient or not.</summary>
    private static readonly Gen<Step[]> Sequences =
        Gen.Select(
            Gen.Int[0, 2].Select(start => start < 2 ? new[] { new Step(Command.Open, 0, start, 0) } : []),
            Gen.Select(Commands, Gen.Int[0, Emails.Length - 1], Gen.Int[0, 5], Gen.Int[-3, 12], (c, w, p, d) => new Step(c, w, p, d)).Array[1, 30],
            (start, steps) => start.Concat(steps).ToArray());

    private enum Command
    {
        Open,
        AddRespondent,
        Remind,
        RunReminderTimer,
        Save,
        Submit,
        Close,
        Withdraw,
    }

    [Fact]
    public void NoCommandSequenceBreaksTheWorkflowOrTheAnswers()
    {
        Sequences.Sample(steps =>
        {
            var survey = Survey.Schedule("round-1", "app-1", "P-0001", 1, Opens, Opens.AddDays(56), reminderDays: 14, maxReminders: 2);
            var now = Opens;
            foreach (var step in steps)
            {
                now = now.AddDays(step.Days);
                AggregateStep.Check(Machine, step, () => survey.Data, d => d.Status, () => Apply(survey, step, now), Broken);

                if (survey.Data is { Status: SurveyStatus.Withdrawn } after && after.Respondents.Any(r => survey.Authenticate(r.Id, $"secret-{r.Id}") is not null))
                {
                    Assert.Fail($"after {step}: a respondent's token still works after consent was withdrawn");
                }
            }
        }, iter: 2_000, threads: 1); // a failure prints the seed that reproduces it
    }

    private static string? Broken(SurveyData before, SurveyData after)
    {
        var respondents = after.Respondents;
        if (respondents.Count > Survey.MaxRespondents || respondents.Select(r => r.Id).Distinct().Count() != respondents.Count)
        {
            return "more respondents than allowed, or one twice";
        }

        if (after.Status != SurveyStatus.Withdrawn && respondents.Select(r => r.Email.ToUpperInvariant()).Distinct().Count() != respondents.Count)
        {
            return "one address for two respondents";
        }

        if (respondents.Count > 0 && respondents[0].Role != RespondentRoles.Management || respondents.Any(r => r.Reminders > after.MaxReminders || !RespondentRoles.All.Contains(r.Role)))
        {
            return "no contact first, an unknown role, or more reminders than allowed";
        }

        if (before.OpenedAt is not null && after.Recipient != before.Recipient)
        {
            return "the recipient flag changed after opening";
        }

        if (respondents.FirstOrDefault(r => SurveyCatalogue.Problems(r.Answers, after.Recipient).Any()) is { } invalid)
        {
            return $"{invalid.Id} holds answers the catalogue refuses";
        }

        if (after.Status is SurveyStatus.Open or SurveyStatus.Completed
            && (after.Status == SurveyStatus.Completed) != (respondents.Count > 0 && respondents.All(r => r.SubmittedAt is not null)))
        {
            return "completed while someone still has to submit, or open when everyone has";
        }

        if (after.Status != SurveyStatus.Withdrawn
            && before.Respondents.Where(r => r.SubmittedAt is not null).Any(submitted => !Same(submitted, after.Respondents.Single(r => r.Id == submitted.Id))))
        {
            return "a submitted questionnaire changed";
        }

        if (after.Status == SurveyStatus.Withdrawn && respondents.Any(r => r.Answers.Count > 0 || r.Email.Length > 0 || r.TokenHashes.Count > 0))
        {
            return "answers, an address or a token kept after consent was withdrawn";
        }

        if (Machine.IsTerminal(before.Status.ToString()) && AggregateStep.Json(after) != AggregateStep.Json(before))
        {
            return $"a {before.Status} survey changed";
        }

        return null;
    }

    private static bool Same(Respondent submitted, Respondent now) =>
        now.SubmittedAt == submitted.SubmittedAt && now.SavedAt == submitted.SavedAt && AggregateStep.Json(now.Answers) == AggregateStep.Json(submitted.Answers);

    private static IReadOnlyList<string[]> Apply(Survey survey, Step step, DateTimeOffset now)
    {
        var respondent = survey.Data.Respondents.Count == 0 ? "r1" : survey.Data.Respondents[step.Who % survey.Data.Respondents.Count].Id;
        switch (step.Command)
        {
            case Command.Open:
                survey.Open(Builders.FollowedUp, step.Pick % 2 == 0, "r1", Emails[0], "nl", Survey.HashSecret("secret-r1"), now);
                return [["Open"]];
            case Command.AddRespondent:
                var id = $"r{survey.Data.Respondents.Count + 1}";
                survey.AddRespondent(Builders.FollowedUp, id, Roles[step.Pick % Roles.Length], Emails[step.Who], "en", Survey.HashSecret($"secret-{id}"), now);
                return [["AddRespondent"]];
            case Command.Remind:
                survey.Remind(Builders.FollowedUp, respondent, Survey.HashSecret($"reminder-{respondent}-{now:O}"), now);
                return [["Remind"]];
            case Command.RunReminderTimer:
                var due = survey.DueReminders(now);
                foreach (var reminded in due)
                {
                    survey.Remind(Builders.FollowedUp, reminded.Id, Survey.HashSecret($"reminder-{reminded.Id}-{now:O}"), now);
                }

                return due.Count == 0 ? [] : [[.. due.Select(_ => "Remind")]];
            case Command.Save or Command.Submit:
                survey.Save(respondent, Answers[step.Pick], step.Command == Command.Submit, now, step.Pick == 1 ? ["productivity"] : null);
                return [["Save"], ["Save", "Complete"]];
            case Command.Close:
                survey.Close(now);
                return [["Close"]];
            case Command.Withdraw:
                survey.Withdraw(now);
                return [["Withdraw"]];
            default:
                throw new ArgumentOutOfRangeException(nameof(step));
        }
    }

    private sealed record Step(Command Command, int Who, int Pick, int Days);
}
