using Grants.Domain.Common;

namespace Grants.Functions.Notifications;

/// <summary>
/// The reason codes of eligibility decisions and rejections as letters say them, in Dutch and English.
/// Codes are for systems; an applicant reads the sentence. Every code in
/// <see cref="Domain.Applications.IneligibilityReasons"/> and <see cref="Domain.Applications.RejectionReasons"/> has one (a test checks).
/// </summary>
public static class ReasonTexts
{
    private static readonly Dictionary<string, (string Dutch, string English)> Sentences = new(StringComparer.Ordinal)
    {
        ["sector-not-eligible"] = ("Organisaties uit uw sector komen in dit tijdvak niet in aanmerking.", "Organisations in your sector are not eligible in this round."),
        ["size-not-eligible"] = ("Organisaties van uw omvang komen in dit tijdvak niet in aanmerking.", "Organisations of your size are not eligible in this round."),
        ["public-not-eligible"] = ("Publieke organisaties komen in dit tijdvak niet in aanmerking.", "Public organisations are not eligible in this round."),
        ["private-not-eligible"] = ("Private organisaties komen in dit tijdvak niet in aanmerking.", "Private organisations are not eligible in this round."),
        ["incomplete"] = ("De aanvraag is niet volledig.", "The application is not complete."),
        ["information-not-supplied"] = ("De aanvullende informatie waar wij om vroegen, is niet op tijd ontvangen.", "The additional information we asked for did not arrive in time."),
        ["outside-themes"] = ("Het project past niet binnen de thema's van dit tijdvak.", "The project does not fit the themes of this round."),
        ["amount-above-maximum"] = ("Het gevraagde bedrag is hoger dan het maximum per aanvraag.", "The amount requested is higher than the maximum per application."),
        ["not-an-innovation-project"] = ("Het project is geen innovatieproject in de zin van de regeling.", "The project is not an innovation project as the scheme defines it."),
        ["duplicate"] = ("Uw organisatie heeft in dit tijdvak al een aanvraag ingediend.", "Your organisation has already applied in this round."),
        ["other"] = ("Een andere reden; zie de toelichting.", "Another reason; see the explanation."),
        ["ineligible"] = ("De aanvraag voldoet niet aan de voorwaarden van de regeling.", "The application does not meet the conditions of the scheme."),
        ["assessment-negative"] = ("De toetsingscommissie heeft negatief geadviseerd over uw aanvraag.", "The assessment committee advised against your application."),
        ["ceiling-reached"] = ("Het subsidieplafond van dit tijdvak is bereikt.", "The budget ceiling of this round has been reached."),
    };

    /// <summary>
    /// The reason as a sentence in <paramref name="language"/> (Dutch unless English). The domain admits
    /// only known codes; a code stored before its sentence existed is shown as it is rather than failing the letter.
    /// </summary>
    public static string Describe(string code, string language) =>
        Sentences.TryGetValue(code, out var sentence) ? language == Languages.English ? sentence.English : sentence.Dutch : code;

    /// <summary>One line per reason, as a list: "- De aanvraag is niet volledig."</summary>
    public static string List(IEnumerable<string> codes, string language) =>
        string.Join("\n", codes.Select(code => $"- {Describe(code, language)}"));
}
