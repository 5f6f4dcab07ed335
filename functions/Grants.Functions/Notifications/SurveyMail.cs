using Grants.Domain.Common;
using Grants.Domain.FollowUp;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Notifications;

/// <summary>
/// Invitations and reminders for the follow-up survey, in the respondent's language. The same text goes
/// to winners and losers alike: the link is personal, needs no account and works until the wave closes.
/// </summary>
public static class SurveyMail
{
    public static OutboxEmail Invitation(Respondent respondent, SurveyData survey, string roundName, string link) => Compose(respondent,
        nl: ($"Vervolgonderzoek {roundName}: uw medewerking gevraagd",
            $"""
            Geachte heer/mevrouw,

            Uw organisatie vroeg subsidie aan in het tijdvak {roundName} en stemde in met het vervolgonderzoek.
            Of de aanvraag nu wel of niet is ingeloot: uw antwoorden zijn even belangrijk. Alleen zo kan het
            ministerie zien wat de regeling werkelijk heeft opgeleverd.

            De vragenlijst (meting {survey.Wave}) kost ongeveer tien minuten. U kunt tussentijds opslaan.
            Open hem met deze persoonlijke link, zonder in te loggen:

            {link}

            De link werkt tot {LocalNl(survey.ClosesAt)} (Amsterdamse tijd) en alleen voor uw eigen vragenlijst.
            Stuur deze e-mail daarom niet door.
            """),
        en: ($"Follow-up study {roundName}: your help requested",
            $"""
            Dear respondent,

            Your organisation applied for a subsidy in the round {roundName} and agreed to take part in the follow-up study.
            Whether or not the application was drawn, your answers matter equally: only then can the ministry see
            what the scheme really achieved.

            The questionnaire (wave {survey.Wave}) takes about ten minutes. You can save and continue later.
            Open it with this personal link, no login needed:

            {link}

            The link works until {LocalEn(survey.ClosesAt)} (Amsterdam time) and only for your own questionnaire.
            Please do not forward this e-mail.
            """));

    public static OutboxEmail Reminder(Respondent respondent, SurveyData survey, string roundName, string link) => Compose(respondent,
        nl: ($"Herinnering: vervolgonderzoek {roundName}",
            $"""
            Geachte heer/mevrouw,

            Wij hebben uw antwoorden op de vragenlijst van het vervolgonderzoek {roundName} (meting {survey.Wave}) nog niet ontvangen.
            Wilt u hem alsnog invullen? Dat kan tot {LocalNl(survey.ClosesAt)} (Amsterdamse tijd) met uw persoonlijke link:

            {link}
            """),
        en: ($"Reminder: follow-up study {roundName}",
            $"""
            Dear respondent,

            We have not yet received your answers to the follow-up questionnaire of {roundName} (wave {survey.Wave}).
            Could you still fill it in? You can until {LocalEn(survey.ClosesAt)} (Amsterdam time), with your personal link:

            {link}
            """));

    private static OutboxEmail Compose(Respondent respondent, (string Subject, string Body) nl, (string Subject, string Body) en) =>
        MailText.InLanguage(respondent.Language, respondent.Email, nl, en, confidential: true);

    private static string LocalNl(DateTimeOffset instant) => MailFormat.DateTime(instant, Languages.Dutch);

    private static string LocalEn(DateTimeOffset instant) => MailFormat.DateTime(instant, Languages.English);
}
