namespace Grants.Domain.FollowUp;

/// <summary>How an item is answered.</summary>
public enum ItemKind
{
    /// <summary>Several options may be ticked; each option is stored as its own yes/no answer.</summary>
    MultiSelect,

    /// <summary>A year and month (yyyy-MM).</summary>
    Month,

    /// <summary>A whole number of euro.</summary>
    Euro,

    /// <summary>One of five ordered options, 1 to 5.</summary>
    Scale,

    /// <summary>Yes (1) or no (0).</summary>
    YesNo,
}

public sealed record ItemOption(string Code, string Dutch, string English);

/// <summary>What can be wrong with an answer: the message an API client gets, and what a respondent reads on the page.</summary>
public sealed record AnswerProblem(string Message, string Dutch, string English);

/// <summary>
/// The problems an answer can have. The messages name the codes an API client sends; the page explains
/// the same problem in the respondent's words and language, since the respondent chose from labelled options.
/// </summary>
public static class AnswerProblems
{
    public static readonly AnswerProblem NotAQuestion = new("is not a question of this questionnaire",
        "Deze vraag hoort niet bij deze vragenlijst.", "This question is not part of this questionnaire.");

    public static readonly AnswerProblem NotAnOption = new("must be 0 or 1",
        "Kies een van de antwoorden.", "Choose one of the answers.");

    public static readonly AnswerProblem NotOnTheScale = new("must be 1 to 5, dont_know, not_applicable or refused",
        "Kies een van de antwoorden.", "Choose one of the answers.");

    public static readonly AnswerProblem NotEuros = new("must be a whole number of euro, dont_know, not_applicable or refused",
        "Vul een bedrag in hele euro's in, alleen cijfers, of kies een van de andere antwoorden.", "Enter an amount in whole euros, digits only, or choose one of the other answers.");

    public static readonly AnswerProblem NotAMonth = new("must be a month as yyyy-MM, dont_know, not_applicable or refused",
        "Vul jaar en maand in, bijvoorbeeld 2027-03, of kies een van de andere antwoorden.", "Enter year and month, for example 2027-03, or choose one of the other answers.");

    public static readonly AnswerProblem DidNotGoAheadYetWentAhead = new("'did not go ahead' cannot be ticked together with a way it went ahead",
        "'Niet doorgegaan' kunt u niet samen aankruisen met een manier waarop het project wel is doorgegaan.", "'Did not go ahead' cannot be ticked together with a way the project did go ahead.");

    public static readonly AnswerProblem AsPlannedYetChanged = new("'exactly as planned' cannot be ticked together with a change to the plan",
        "'Precies zoals gepland' kunt u niet samen aankruisen met een wijziging van het plan.", "'Exactly as planned' cannot be ticked together with a change to the plan.");

    public static IReadOnlyList<AnswerProblem> All { get; } = [NotAQuestion, NotAnOption, NotOnTheScale, NotEuros, NotAMonth, DidNotGoAheadYetWentAhead, AsPlannedYetChanged];

    /// <summary>The problem behind <paramref name="message"/> as the respondent reads it; the message itself if it is not an answer problem.</summary>
    public static string ForRespondent(string message, bool english) =>
        All.FirstOrDefault(p => p.Message == message) is { } problem ? english ? problem.English : problem.Dutch : message;
}

/// <param name="WinnersOnly">Asked only of units that received the subsidy; others get the code not_asked.</param>
public sealed record SurveyItem(string Id, ItemKind Kind, string Dutch, string English, IReadOnlyList<ItemOption> Options, bool WinnersOnly = false);

/// <summary>
/// The follow-up questionnaire, versioned so that answers can always be read against the wording that
/// was asked. The core items follow domain.md §3: did the project go ahead (multi-select, as the ESF-E
/// 2008 evaluation found the answers overlap), when it started, the money spent, the six outcome
/// measures of the review, funding from other schemes, and — for recipients only — the counterfactual
/// question with the same options.
/// </summary>
public static class SurveyCatalogue
{
    public const string Version = "core-1";

    /// <summary>Answers that are not values; kept distinct in the export (contracts/evaluation-export).</summary>
    public const string DontKnow = "dont_know";
    public const string NotApplicable = "not_applicable";
    public const string Refused = "refused";
    public const string NotAsked = "not_asked";

    public static IReadOnlyList<string> MissingCodes { get; } = [DontKnow, NotApplicable, Refused];

    public static IReadOnlyList<ItemOption> ProjectOptions { get; } =
    [
        new("not_at_all", "Niet doorgegaan", "Did not go ahead"),
        new("as_planned", "Precies zoals gepland", "Exactly as planned"),
        new("smaller", "In kleinere omvang", "On a smaller scale"),
        new("later", "Later dan gepland", "Later than planned"),
        new("less_external", "Met minder externe ondersteuning", "With less external help"),
    ];

    private static readonly IReadOnlyList<ItemOption> Change =
    [
        new("1", "Sterk verslechterd", "Much worse"),
        new("2", "Iets verslechterd", "Somewhat worse"),
        new("3", "Gelijk gebleven", "About the same"),
        new("4", "Iets verbeterd", "Somewhat better"),
        new("5", "Sterk verbeterd", "Much better"),
    ];

    public static IReadOnlyList<string> OutcomeMeasures { get; } =
        ["productivity", "business_performance", "innovation", "quality_of_work", "labour_relations", "talent_development"];

    /// <summary>
    /// The project's outcomes in the evaluator export, per wave (<c>w{k}_{name}</c>): whether it went ahead in
    /// any form, and each form it took.
    /// </summary>
    public static IReadOnlyList<string> ProjectOutcomes { get; } = ["realised", "full", "smaller", "later", "less_external"];

    /// <summary>The export's further numeric outcomes per wave, in column order: money spent, the change measures, other funding.</summary>
    public static IReadOnlyList<string> ExtraOutcomes { get; } = ["money_spent", .. OutcomeMeasures, "other_funding"];

    /// <summary>Every outcome the evaluator export has for each wave, and so every outcome an analysis plan may name.</summary>
    public static IReadOnlyList<string> EvaluationOutcomes { get; } = [.. ProjectOutcomes, .. ExtraOutcomes];

    public static IReadOnlyList<SurveyItem> Items { get; } =
    [
        new("project", ItemKind.MultiSelect,
            "Is het project waarvoor uw organisatie subsidie aanvroeg doorgegaan? Kruis aan wat van toepassing is.",
            "Did the project your organisation applied for go ahead? Tick all that apply.", ProjectOptions),
        new("start_month", ItemKind.Month, "In welke maand is het project begonnen?", "In which month did the project start?", []),
        new("money_spent", ItemKind.Euro, "Hoeveel is tot nu toe aan het project besteed, in euro (alle bronnen samen)?", "How much has been spent on the project so far, in euro (all sources together)?", []),
        new("productivity", ItemKind.Scale, "Sinds de aanvraag: hoe is de arbeidsproductiviteit veranderd?", "Since the application: how has labour productivity changed?", Change),
        new("business_performance", ItemKind.Scale, "Sinds de aanvraag: hoe zijn omzet, winst en werkgelegenheid veranderd?", "Since the application: how have turnover, profit and employment changed?", Change),
        new("innovation", ItemKind.Scale, "Sinds de aanvraag: hoe is de vernieuwing van producten en diensten veranderd?", "Since the application: how has the renewal of products and services changed?", Change),
        new("quality_of_work", ItemKind.Scale, "Sinds de aanvraag: hoe is de kwaliteit van de arbeid veranderd (autonomie, werkdruk, benutting van vaardigheden)?", "Since the application: how has the quality of work changed (autonomy, work pressure, use of skills)?", Change),
        new("labour_relations", ItemKind.Scale, "Sinds de aanvraag: hoe is de betrokkenheid van medewerkers bij beslissingen veranderd?", "Since the application: how has employee participation in decisions changed?", Change),
        new("talent_development", ItemKind.Scale, "Sinds de aanvraag: hoe is de (niet-functiegebonden) scholing van medewerkers veranderd?", "Since the application: how has (non-job-specific) training of employees changed?", Change),
        new("other_funding", ItemKind.YesNo, "Heeft het project (ook) subsidie uit een andere regeling gekregen?", "Did the project (also) receive funding from another scheme?", []),
        new("counterfactual", ItemKind.MultiSelect,
            "Stel dat u de subsidie niet had gekregen: wat was er dan met het project gebeurd? Kruis aan wat van toepassing is.",
            "Suppose you had not received the subsidy: what would have happened to the project? Tick all that apply.", ProjectOptions, WinnersOnly: true),
    ];

    public static SurveyItem Item(string id) => Items.Single(i => i.Id == id);

    /// <summary>The answer keys of an item: one per option for a multi-select (<c>project.smaller</c>), otherwise the item id.</summary>
    public static IEnumerable<string> Keys(SurveyItem item) =>
        item.Kind == ItemKind.MultiSelect ? item.Options.Select(o => $"{item.Id}.{o.Code}") : [item.Id];

    /// <summary>
    /// Checks one respondent's answers: only known keys, values of the right kind, missing-value codes
    /// where allowed, no counterfactual from a unit that did not receive the subsidy.
    /// </summary>
    public static IEnumerable<(string Field, string Error)> Problems(IReadOnlyDictionary<string, string> answers, bool recipient)
    {
        var known = Items.Where(i => recipient || !i.WinnersOnly).SelectMany(i => Keys(i).Select(k => (Key: k, Item: i))).ToDictionary(x => x.Key, x => x.Item);
        foreach (var (key, value) in answers)
        {
            if (!known.TryGetValue(key, out var item))
            {
                yield return (key, AnswerProblems.NotAQuestion.Message);
                continue;
            }

            if (MissingCodes.Contains(value) && item.Kind != ItemKind.MultiSelect)
            {
                continue;
            }

            var valid = item.Kind switch
            {
                ItemKind.MultiSelect or ItemKind.YesNo => value is "0" or "1",
                ItemKind.Scale => value is "1" or "2" or "3" or "4" or "5",
                ItemKind.Euro => long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var euro) && euro <= 1_000_000_000,
                ItemKind.Month => DateOnly.TryParseExact($"{value}-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var month) && month.Year is >= 2000 and <= 2100,
                _ => false,
            };
            if (!valid)
            {
                yield return (key, item.Kind switch
                {
                    ItemKind.MultiSelect or ItemKind.YesNo => AnswerProblems.NotAnOption.Message,
                    ItemKind.Scale => AnswerProblems.NotOnTheScale.Message,
                    ItemKind.Euro => AnswerProblems.NotEuros.Message,
                    _ => AnswerProblems.NotAMonth.Message,
                });
            }
        }

        foreach (var item in new[] { "project", "counterfactual" })
        {
            bool Ticked(string code) => answers.TryGetValue($"{item}.{code}", out var v) && v == "1";
            if (Ticked("not_at_all") && ProjectOptions.Skip(1).Any(o => Ticked(o.Code)))
            {
                yield return (item, AnswerProblems.DidNotGoAheadYetWentAhead.Message);
            }
            else if (Ticked("as_planned") && ProjectOptions.Skip(2).Any(o => Ticked(o.Code)))
            {
                yield return (item, AnswerProblems.AsPlannedYetChanged.Message);
            }
        }
    }
}
