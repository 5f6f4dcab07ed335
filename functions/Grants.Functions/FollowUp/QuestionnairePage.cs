using System.Net;
using System.Text;
using Grants.Domain.FollowUp;

namespace Grants.Functions.FollowUp;

/// <summary>
/// The questionnaire as one server-rendered page: Dutch or English, plain form controls with labels and
/// fieldsets, an error summary that links to the fields, no scripts — it works in any browser and with
/// assistive technology.
/// </summary>
public static class QuestionnairePage
{
    public static string Form(SurveyData survey, Respondent respondent, string language, string roundName, IReadOnlyDictionary<string, string[]>? errors = null, bool saved = false)
    {
        var en = language == "en";
        var html = new StringBuilder();
        Head(html, language, en ? $"Follow-up questionnaire {roundName}" : $"Vragenlijst vervolgonderzoek {roundName}");
        html.Append("<main>")
            .Append("<p class=\"switch\"><a href=\"?lang=").Append(en ? "nl" : "en").Append("\" lang=\"").Append(en ? "nl" : "en").Append("\">").Append(en ? "Nederlands" : "English").Append("</a></p>")
            .Append("<h1>").Append(E(en ? $"Follow-up study {roundName}, wave {survey.Wave}" : $"Vervolgonderzoek {roundName}, meting {survey.Wave}")).Append("</h1>")
            .Append("<p>").Append(E(en
                ? "Thank you for taking part. Answer for your organisation as a whole. You can save and continue later with the same link; after you submit, the link can no longer be used."
                : "Hartelijk dank voor uw medewerking. Beantwoord de vragen voor uw organisatie als geheel. U kunt tussentijds opslaan en later verdergaan met dezelfde link; na versturen werkt de link niet meer.")).Append("</p>");
        if (saved)
        {
            html.Append("<p class=\"notice\" role=\"status\">").Append(E(en ? "Your answers have been saved. You can continue now or later." : "Uw antwoorden zijn opgeslagen. U kunt nu of later verdergaan.")).Append("</p>");
        }

        if (errors is { Count: > 0 })
        {
            html.Append("<div class=\"errors\" role=\"alert\" tabindex=\"-1\"><h2>").Append(E(en ? "Please check these answers" : "Controleer deze antwoorden")).Append("</h2><ul>");
            // One entry per question (a multi-select's options share one), each problem in the respondent's words.
            foreach (var question in errors.GroupBy(e => e.Key.Split('.')[0]))
            {
                var problems = question.SelectMany(e => e.Value).Select(m => AnswerProblems.ForRespondent(m, en)).Distinct();
                html.Append("<li><a href=\"#").Append(E(question.Key)).Append("\">").Append(E(ItemText(question.Key, en))).Append("</a>: ").Append(E(string.Join(" ", problems))).Append("</li>");
            }

            html.Append("</ul></div>");
        }

        html.Append("<form method=\"post\" action=\"\">");
        foreach (var item in SurveyCatalogue.Items.Where(i => survey.Recipient || !i.WinnersOnly))
        {
            // Marks the question as on the page, so that leaving it empty clears an earlier answer.
            html.Append("<input type=\"hidden\" name=\"shown\" value=\"").Append(item.Id).Append("\">");
            Item(html, item, respondent.Answers, en);
        }

        html.Append("<div class=\"actions\"><button type=\"submit\" name=\"action\" value=\"save\">").Append(E(en ? "Save and continue later" : "Tussentijds opslaan"))
            .Append("</button> <button type=\"submit\" name=\"action\" value=\"submit\">").Append(E(en ? "Submit my answers" : "Antwoorden versturen")).Append("</button></div></form></main></body></html>");
        return html.ToString();
    }

    public static string Message(string language, string titleNl, string textNl, string titleEn, string textEn)
    {
        var en = language == "en";
        var html = new StringBuilder();
        Head(html, language, en ? titleEn : titleNl);
        return html.Append("<main><h1>").Append(E(en ? titleEn : titleNl)).Append("</h1><p>").Append(E(en ? textEn : textNl)).Append("</p></main></body></html>").ToString();
    }

    private static void Item(StringBuilder html, SurveyItem item, IReadOnlyDictionary<string, string> answers, bool en)
    {
        var question = en ? item.English : item.Dutch;
        string? Answer(string key) => answers.TryGetValue(key, out var value) ? value : null;
        switch (item.Kind)
        {
            case ItemKind.MultiSelect:
                html.Append("<fieldset id=\"").Append(item.Id).Append("\"><legend>").Append(E(question)).Append("</legend>");
                foreach (var option in item.Options)
                {
                    var id = $"{item.Id}-{option.Code}";
                    html.Append("<div><input type=\"checkbox\" id=\"").Append(id).Append("\" name=\"").Append(item.Id).Append("\" value=\"").Append(option.Code).Append('"')
                        .Append(Answer($"{item.Id}.{option.Code}") == "1" ? " checked" : string.Empty).Append("> <label for=\"").Append(id).Append("\">").Append(E(en ? option.English : option.Dutch)).Append("</label></div>");
                }

                html.Append("</fieldset>");
                break;
            case ItemKind.Scale or ItemKind.YesNo:
                var options = item.Kind == ItemKind.YesNo
                    ? [new ItemOption("1", "Ja", "Yes"), new ItemOption("0", "Nee", "No")]
                    : item.Options;
                html.Append("<fieldset id=\"").Append(item.Id).Append("\"><legend>").Append(E(question)).Append("</legend>");
                foreach (var option in options.Concat(MissingOptions(item.Kind == ItemKind.Scale)))
                {
                    var id = $"{item.Id}-{option.Code}";
                    html.Append("<div><input type=\"radio\" id=\"").Append(id).Append("\" name=\"").Append(item.Id).Append("\" value=\"").Append(option.Code).Append('"')
                        .Append(Answer(item.Id) == option.Code ? " checked" : string.Empty).Append("> <label for=\"").Append(id).Append("\">").Append(E(en ? option.English : option.Dutch)).Append("</label></div>");
                }

                html.Append("</fieldset>");
                break;
            default:
                var (type, hint) = item.Kind == ItemKind.Month
                    ? ("month", en ? "Year and month, e.g. 2027-03; leave empty if not applicable." : "Jaar en maand, bijvoorbeeld 2027-03; laat leeg als dit niet van toepassing is.")
                    : ("text", en ? "Whole euros, digits only." : "Hele euro's, alleen cijfers.");
                var value = Answer(item.Id) is { } v && !SurveyCatalogue.MissingCodes.Contains(v) ? v : string.Empty;
                html.Append("<div class=\"field\" id=\"").Append(item.Id).Append("\"><label for=\"").Append(item.Id).Append("-input\">").Append(E(question)).Append("</label>")
                    .Append("<p class=\"hint\" id=\"").Append(item.Id).Append("-hint\">").Append(E(hint)).Append("</p>")
                    .Append("<input type=\"").Append(type).Append("\" id=\"").Append(item.Id).Append("-input\" name=\"").Append(item.Id).Append("\" value=\"").Append(E(value)).Append("\" aria-describedby=\"").Append(item.Id).Append("-hint\"")
                    .Append(item.Kind == ItemKind.Euro ? " inputmode=\"numeric\" autocomplete=\"off\"" : string.Empty).Append("></div>");
                break;
        }
    }

    private static IEnumerable<ItemOption> MissingOptions(bool notApplicable) =>
        notApplicable
            ? [new(SurveyCatalogue.DontKnow, "Weet ik niet", "Don't know"), new(SurveyCatalogue.NotApplicable, "Niet van toepassing", "Not applicable"), new(SurveyCatalogue.Refused, "Zeg ik liever niet", "Prefer not to say")]
            : [new(SurveyCatalogue.DontKnow, "Weet ik niet", "Don't know"), new(SurveyCatalogue.Refused, "Zeg ik liever niet", "Prefer not to say")];

    private static string ItemText(string itemId, bool en) =>
        SurveyCatalogue.Items.FirstOrDefault(i => i.Id == itemId) is { } item ? (en ? item.English : item.Dutch) : itemId;

    private static void Head(StringBuilder html, string language, string title) =>
        html.Append("<!DOCTYPE html><html lang=\"").Append(language == "en" ? "en" : "nl").Append("\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
            .Append(E(title)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}h1{color:#01689b}")
            .Append("fieldset,.field{border:1px solid #ccc;border-radius:6px;margin:1rem 0;padding:.75rem 1rem}legend,label{font-weight:500}.hint{color:#555;margin:.25rem 0}")
            .Append("input[type=text],input[type=month]{font-size:1rem;padding:.3rem}button{font-size:1rem;padding:.5rem 1rem;margin-right:.5rem}")
            .Append(".errors{border:3px solid #c00;padding:.5rem 1rem}.notice{background:#e6f4ea;padding:.5rem 1rem}:focus{outline:3px solid #f5a623}")
            .Append("</style></head><body>");

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
