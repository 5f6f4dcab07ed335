using CsCheck;
using Grants.Domain.Assessments;

namespace Grants.Domain.Tests.Assessments;

/// <summary>
/// docs/design.md §3's assessment as a property: random sequences of score sheets (from members and from
/// people not assigned; complete, out of range, unjustified, with a criterion missing, unknown or
/// twice), corrections of the latest sheet and of superseded ones, reassignments (of members who
/// scored, to people already on it) and the chair's advice, with and without reasons. After every
/// step the status is one the machine can reach and one the command's trigger leads to; a refused
/// command changes nothing; a submitted sheet never changes or disappears; every sheet is a current
/// member's, scores every criterion once within its scale with a justification, and a correction names
/// an earlier sheet of the same member; the assessment is scored exactly when every member has
/// submitted; the advice, once given, is final.
/// </summary>
public sealed class AssessmentPropertyTests
{
    private static readonly DateTimeOffset Now = new(2008, 7, 1, 10, 0, 0, TimeSpan.FromHours(2));

    private static readonly StateMachineGraph Machine = StateMachineGraph.Parse(Assessment.Diagram());

    private static readonly Criterion[] Criteria =
    [
        new("fit", "Fit with the themes", 1, 5, 1), new("quality", "Quality of the plan", 1, 5, 2), new("involvement", "Employee involvement", 1, 5, 1),
    ];

    private static readonly string[] People = ["anna", "bram", "cees", "dirk", "eva"];

    private static readonly CriterionScore[][] Sheets =
    [
        [new("fit", 4, "Fits smarter working."), new("quality", 3, "Milestones are vague."), new("involvement", 5, "Works council co-wrote it.")],
        [new("fit", 1, "Off theme."), new("quality", 5, "Clear plan."), new("involvement", 2, "Management only.")],
        [new("fit", 6, "Beyond the scale."), new("quality", 3, "Fine."), new("involvement", 3, "Fine.")],
        [new("fit", 3, " "), new("quality", 3, "Fine."), new("involvement", 3, "Fine.")],
        [new("fit", 3, "Fine."), new("quality", 3, "Fine.")],
        [new("fit", 3, "Fine."), new("fit", 4, "Twice."), new("quality", 3, "Fine."), new("involvement", 3, "Fine."), new("impact", 3, "Unknown.")],
    ];

    /// <summary>The members' first sheets; each sequence starts some way along, so that scored assessments are common.</summary>
    private static readonly Step[] EveryoneScores = [new(Command.SubmitScores, 0, 0, 1), new(Command.SubmitScores, 1, 1, 1), new(Command.SubmitScores, 2, 0, 1)];

    private static readonly Gen<Command> Commands = Gen.Frequency(
        (4, Gen.Const(Command.SubmitScores)), (4, Gen.Const(Command.Correct)), (1, Gen.Const(Command.Reassign)), (2, Gen.Const(Command.RecordAdvice)));

    private static readonly Gen<Step[]> Sequences =
        Gen.Select(
            Gen.Int[0, EveryoneScores.Length].Select(length => EveryoneScores[..length]),
            Gen.Select(Commands, Gen.Int[0, People.Length - 1], Gen.Int[0, 5], Gen.Int[-2, 5], (c, w, p, d) => new Step(c, w, p, d)).Array[1, 25],
            (start, steps) => start.Concat(steps).ToArray());

    private enum Command
    {
        SubmitScores,
        Correct,
        Reassign,
        RecordAdvice,
    }

    [Fact]
    public void NoCommandSequenceBreaksTheWorkflowOrTheScores()
    {
        Gen.Select(Gen.Int[2, 3], Sequences).Sample((members, steps) =>
        {
            var assessment = Assessment.Assign("app-1", "round-1", "12345678", 1, People[..members]);
            var now = Now;
            foreach (var step in steps)
            {
                now = now.AddDays(step.Days);
                AggregateStep.Check(Machine, step, () => assessment.Data, d => d.Status, () => Apply(assessment, step, now), (before, after) => Broken(before, assessment, members));
            }
        }, iter: 3_000, threads: 1); // a failure prints the seed that reproduces it
    }

    private static string? Broken(AssessmentData before, Assessment assessment, int members)
    {
        var after = assessment.Data;
        if (after.Sheets.Count < before.Sheets.Count || before.Sheets.Where((sheet, i) => AggregateStep.Json(sheet) != AggregateStep.Json(after.Sheets[i])).Any())
        {
            return "a submitted sheet changed or disappeared";
        }

        if (after.Members.Count != members || after.Members.Distinct().Count() != members)
        {
            return "the committee for this application shrank, grew or holds someone twice";
        }

        foreach (var sheet in after.Sheets)
        {
            if (!after.Members.Contains(sheet.Member))
            {
                return $"{sheet.SheetId} is from {sheet.Member}, who is not assigned";
            }

            if (sheet.Scores.Count != Criteria.Length
                || Criteria.Any(c => sheet.Scores.SingleOrDefault(s => s.Criterion == c.Code) is not { } score || score.Score < c.MinScore || score.Score > c.MaxScore || string.IsNullOrWhiteSpace(score.Justification)))
            {
                return $"{sheet.SheetId} does not score every criterion once, within its scale, with a justification";
            }

            if (sheet.Corrects is { } corrected && !after.Sheets.TakeWhile(s => !ReferenceEquals(s, sheet)).Any(s => s.SheetId == corrected && s.Member == sheet.Member))
            {
                return $"{sheet.SheetId} corrects {corrected}, which is not an earlier sheet of {sheet.Member}";
            }
        }

        if (after.Sheets.Where(s => s.Corrects is null).GroupBy(s => s.Member).Any(g => g.Count() > 1))
        {
            return "a member scored twice other than by a correction";
        }

        if (after.Status == AssessmentStatus.Assigned && after.Sheets.Any(s => s.Corrects is not null))
        {
            return "a correction before every member had scored";
        }

        if ((after.Status == AssessmentStatus.Assigned) == assessment.AllMembersScored)
        {
            return "scored while a member has still to submit, or still assigned when all have";
        }

        if ((after.Advice is null) != (after.Status != AssessmentStatus.Advised) || before.Advice is not null && after.Advice != before.Advice)
        {
            return "advised without advice, advice without being advised, or the advice changed";
        }

        if (Machine.IsTerminal(before.Status.ToString()) && AggregateStep.Json(after) != AggregateStep.Json(before))
        {
            return $"an {before.Status} assessment changed";
        }

        return null;
    }

    private static IReadOnlyList<string[]> Apply(Assessment assessment, Step step, DateTimeOffset now)
    {
        var who = People[step.Who];
        switch (step.Command)
        {
            case Command.SubmitScores:
                assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), who, Sheets[step.Pick], now);
                return [["SubmitScores"]];
            case Command.Correct:
                var sheets = assessment.Data.Sheets.Where(s => s.Member == who).ToList();
                var corrected = step.Pick switch { < 3 when sheets.Count > 0 => sheets[^1].SheetId, 3 when sheets.Count > 0 => sheets[0].SheetId, _ => $"sheet-{step.Pick}" };
                assessment.Correct(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), who, corrected, Sheets[(step.Pick + step.Who) % Sheets.Length], now);
                return [["Correct"]];
            case Command.Reassign:
                assessment.Reassign(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), step.Pick < 4 ? assessment.Data.Members[step.Pick % assessment.Data.Members.Count] : who, who, "Declared a conflict after assignment.", now, toHolds: 0);
                return [["Reassign"]];
            case Command.RecordAdvice:
                assessment.RecordAdvice(Builders.ChairedCommittee(assessment.Data.RoundId), "chair", step.Pick % 2 == 0, step.Pick == 5 ? " " : "Two positive sheets.", now);
                return [["Advise"]];
            default:
                throw new ArgumentOutOfRangeException(nameof(step));
        }
    }

    private sealed record Step(Command Command, int Who, int Pick, int Days);
}
