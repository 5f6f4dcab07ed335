using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Notifications;

/// <summary>
/// The mail applicants receive at each step, in their preferred language (Dutch or English).
/// Subjects carry only our own values (receipt numbers, round names) — never free text from applicants.
/// </summary>
public static class ApplicantMail
{
    public static OutboxEmail Receipt(ApplicationData application, string roundName) => Compose(application,
        nl: ($"Ontvangstbevestiging aanvraag {application.ReceiptNumber}",
            $"""
            Geachte heer/mevrouw,

            Wij hebben de aanvraag "{application.Content.Title}" van {application.Applicant.LegalName} voor het tijdvak {roundName} ontvangen
            op {LocalNl(application.SubmittedAt!.Value)} (Amsterdamse tijd).

            Uw ontvangstnummer is {application.ReceiptNumber}. Vermeld dit nummer bij vragen.
            Wij beoordelen nu of uw aanvraag volledig en ontvankelijk is. U hoort van ons.
            """),
        en: ($"Receipt of your application {application.ReceiptNumber}",
            $"""
            Dear applicant,

            We received the application "{application.Content.Title}" from {application.Applicant.LegalName} for the round {roundName}
            on {LocalEn(application.SubmittedAt!.Value)} (Amsterdam time).

            Your receipt number is {application.ReceiptNumber}. Please quote it whenever you contact us.
            We will now check whether your application is complete and eligible, and let you know.
            """));

    public static OutboxEmail InformationRequested(ApplicationData application, InformationRequest request) => Compose(application,
        nl: ($"Verzoek om aanvullende informatie bij aanvraag {application.ReceiptNumber}",
            $"""
            Geachte heer/mevrouw,

            Om uw aanvraag {application.ReceiptNumber} te kunnen beoordelen, hebben wij de volgende informatie nodig:

            {request.Question}

            Stuur deze informatie vóór {LocalNl(request.Deadline)} (Amsterdamse tijd). Zonder antwoord vóór die datum
            is uw aanvraag niet ontvankelijk.
            """),
        en: ($"Request for additional information on application {application.ReceiptNumber}",
            $"""
            Dear applicant,

            To assess your application {application.ReceiptNumber} we need the following information:

            {request.Question}

            Please send it before {LocalEn(request.Deadline)} (Amsterdam time). Without an answer by then,
            your application will be ineligible.
            """));

    public static OutboxEmail EligibilityDecided(ApplicationData application)
    {
        var decision = application.Eligibility!;
        string Reasons(string language, string noteLabel) =>
            ReasonTexts.List(decision.ReasonCodes, language) + (string.IsNullOrWhiteSpace(decision.Note) ? "" : $"\n\n{noteLabel}: {decision.Note}");
        return decision.Eligible
            ? Compose(application,
                nl: ($"Uw aanvraag {application.ReceiptNumber} is ontvankelijk",
                    $"""
                    Geachte heer/mevrouw,

                    Uw aanvraag {application.ReceiptNumber} is volledig en ontvankelijk. Zij doet mee aan de verdeling
                    van het subsidieplafond van dit tijdvak. U hoort van ons zodra de verdeling bekend is.
                    """),
                en: ($"Your application {application.ReceiptNumber} is eligible",
                    $"""
                    Dear applicant,

                    Your application {application.ReceiptNumber} is complete and eligible. It takes part in the allocation
                    of this round's budget. We will let you know once the allocation is known.
                    """))
            : Compose(application,
                nl: ($"Uw aanvraag {application.ReceiptNumber} is niet ontvankelijk",
                    $"""
                    Geachte heer/mevrouw,

                    Uw aanvraag {application.ReceiptNumber} is niet ontvankelijk, om de volgende redenen:
                    {Reasons(Languages.Dutch, "Toelichting")}

                    U kunt binnen zes weken bezwaar maken tegen dit besluit.
                    """),
                en: ($"Your application {application.ReceiptNumber} is not eligible",
                    $"""
                    Dear applicant,

                    Your application {application.ReceiptNumber} is not eligible, for the following reasons:
                    {Reasons(Languages.English, "Explanation")}

                    You may object to this decision within six weeks.
                    """));
    }

    public static OutboxEmail DrawOutcome(ApplicationData application, string roundName, RoundConfiguration round)
    {
        var outcome = application.Outcome!;
        if (round.Allocation.Method != Domain.Allocation.AllocationMethod.Lottery)
        {
            return AllocationOutcome(application, roundName, round, outcome);
        }

        var next = NextStep(round);
        return outcome.Selected
            ? Compose(application,
                nl: ($"Uitslag loting {roundName}: uw aanvraag {application.ReceiptNumber} is ingeloot",
                    $"Geachte heer/mevrouw,\n\nBij de loting van het tijdvak {roundName} is uw aanvraag {application.ReceiptNumber} ingeloot (positie {outcome.Rank} in de volgorde). " +
                    $"{next.Nl}\n\nIn het openbare lotingsprotocol staat uw aanvraag onder het pseudoniem {application.PoolId}.\n"),
                en: ($"Lottery result {roundName}: your application {application.ReceiptNumber} was drawn",
                    $"Dear applicant,\n\nIn the lottery of the round {roundName} your application {application.ReceiptNumber} was drawn (position {outcome.Rank} in the order). " +
                    $"{next.En}\n\nIn the public lottery protocol your application appears under the pseudonym {application.PoolId}.\n"))
            : Compose(application,
                nl: ($"Uitslag loting {roundName}: uw aanvraag {application.ReceiptNumber} staat op de reservelijst",
                    $"Geachte heer/mevrouw,\n\nBij de loting van het tijdvak {roundName} is uw aanvraag {application.ReceiptNumber} niet ingeloot. " +
                    $"Zij staat op plaats {outcome.ReservePosition} van de reservelijst (positie {outcome.Rank} in de volgorde). Komt er budget vrij, dan gaan wij de lijst in deze volgorde af.\n\n" +
                    $"Ook als u geen subsidie krijgt, vragen wij u later mee te werken aan het vervolgonderzoek: juist uw antwoorden laten zien wat de regeling uitmaakt.\n\n" +
                    $"In het openbare lotingsprotocol staat uw aanvraag onder het pseudoniem {application.PoolId}.\n"),
                en: ($"Lottery result {roundName}: your application {application.ReceiptNumber} is on the reserve list",
                    $"Dear applicant,\n\nIn the lottery of the round {roundName} your application {application.ReceiptNumber} was not drawn. " +
                    $"It is number {outcome.ReservePosition} on the reserve list (position {outcome.Rank} in the order). If budget becomes available we go down the list in this order.\n\n" +
                    $"Even without a subsidy, we will ask you to take part in the follow-up research: your answers show what difference the scheme makes.\n\n" +
                    $"In the public lottery protocol your application appears under the pseudonym {application.PoolId}.\n"));
    }

    /// <summary>
    /// The outcome under a method other than the lottery (docs/allocation.md), which the letter names: how the order was made,
    /// where the application stands in it, and that only where the budget ran out the order was drawn by lot.
    /// </summary>
    private static OutboxEmail AllocationOutcome(ApplicationData application, string roundName, RoundConfiguration round, DrawOutcome outcome)
    {
        if (round.Allocation.Method == Domain.Allocation.AllocationMethod.ProRata)
        {
            return ProRataOutcome(application, roundName, round, outcome);
        }

        var (howNl, howEn) = round.Allocation.Method switch
        {
            Domain.Allocation.AllocationMethod.FirstComeFirstServedByDay => (
                "op volgorde van binnenkomst, per dag; de volgorde van de aanvragen van de dag waarop het budget opraakte, is door loting bepaald",
                "in order of receipt, day by day; the order of the applications of the day the budget ran out was drawn by lot"),
            Domain.Allocation.AllocationMethod.RankedTender => (
                "op volgorde van de scores van de beoordelingscommissie; waar aanvragen met gelijke score de grens van het budget raakten, is hun volgorde door loting bepaald",
                "in order of the assessment committee's scores; where applications with equal scores met the edge of the budget, their order was drawn by lot"),
            _ => (
                "de best beoordeelde aanvragen eerst; de volgorde van de aanvragen in de band rond de grens van het budget is door loting bepaald",
                "the best-scored applications first; the order of the applications in the band around the edge of the budget was drawn by lot"),
        };
        var protocolNl = $"In het openbare verdelingsprotocol staat uw aanvraag onder het pseudoniem {application.PoolId}.\n";
        var protocolEn = $"In the public allocation protocol your application appears under the pseudonym {application.PoolId}.\n";
        if (outcome.TurnedDown)
        {
            return Compose(application,
                nl: ($"Uitslag verdeling {roundName}: uw aanvraag {application.ReceiptNumber} komt niet in aanmerking",
                    $"Geachte heer/mevrouw,\n\nHet budget van het tijdvak {roundName} is verdeeld {howNl}. Uw aanvraag {application.ReceiptNumber} scoorde onder de band " +
                    $"en komt niet in aanmerking voor subsidie; zij staat niet op de reservelijst.\n\n{ObjectionRouteNl}{ResearchNl}{protocolNl}"),
                en: ($"Allocation result {roundName}: your application {application.ReceiptNumber} is not funded",
                    $"Dear applicant,\n\nThe budget of the round {roundName} was allocated {howEn}. Your application {application.ReceiptNumber} scored below the band " +
                    $"and is not funded; it is not on the reserve list.\n\n{ObjectionRouteEn}{ResearchEn}{protocolEn}"));
        }

        return outcome.Selected
            ? Compose(application,
                nl: ($"Uitslag verdeling {roundName}: uw aanvraag {application.ReceiptNumber} valt binnen het budget",
                    $"Geachte heer/mevrouw,\n\nHet budget van het tijdvak {roundName} is verdeeld {howNl}. Uw aanvraag {application.ReceiptNumber} valt binnen het budget " +
                    $"(positie {outcome.Rank} in de volgorde). {NextStep(round).Nl}\n\n{protocolNl}"),
                en: ($"Allocation result {roundName}: your application {application.ReceiptNumber} is within the budget",
                    $"Dear applicant,\n\nThe budget of the round {roundName} was allocated {howEn}. Your application {application.ReceiptNumber} is within the budget " +
                    $"(position {outcome.Rank} in the order). {NextStep(round).En}\n\n{protocolEn}"))
            : Compose(application,
                nl: ($"Uitslag verdeling {roundName}: uw aanvraag {application.ReceiptNumber} staat op de reservelijst",
                    $"Geachte heer/mevrouw,\n\nHet budget van het tijdvak {roundName} is verdeeld {howNl}. Uw aanvraag {application.ReceiptNumber} valt buiten het budget " +
                    $"en staat op plaats {outcome.ReservePosition} van de reservelijst (positie {outcome.Rank} in de volgorde). Komt er budget vrij, dan gaan wij de lijst in deze volgorde af.\n\n{ResearchNl}{protocolNl}"),
                en: ($"Allocation result {roundName}: your application {application.ReceiptNumber} is on the reserve list",
                    $"Dear applicant,\n\nThe budget of the round {roundName} was allocated {howEn}. Your application {application.ReceiptNumber} is outside the budget " +
                    $"and number {outcome.ReservePosition} on the reserve list (position {outcome.Rank} in the order). If budget becomes available we go down the list in this order.\n\n{ResearchEn}{protocolEn}"));
    }

    private const string ResearchNl = "Ook als u geen subsidie krijgt, vragen wij u later mee te werken aan het vervolgonderzoek: juist uw antwoorden laten zien wat de regeling uitmaakt.\n\n";
    private const string ResearchEn = "Even without a subsidy, we will ask you to take part in the follow-up research: your answers show what difference the scheme makes.\n\n";

    private const string ObjectionRouteNl = "Bent u het niet eens met dit besluit, dan kunt u binnen zes weken na de datum van deze brief bezwaar maken bij uw aanvraag.\n\n";
    private const string ObjectionRouteEn = "If you disagree with this decision, you can object to it with your application within six weeks of the date of this letter.\n\n";

    /// <summary>
    /// Pro rata (docs/allocation.md): what the application is granted of what it asked, and that every request was cut by the
    /// same fraction; or that its share would fall below the least a project can be carried out with.
    /// </summary>
    private static OutboxEmail ProRataOutcome(ApplicationData application, string roundName, RoundConfiguration round, DrawOutcome outcome)
    {
        var requested = application.Content.RequestedAmountCents;
        var protocolNl = $"In het openbare verdelingsprotocol staat uw aanvraag onder het pseudoniem {application.PoolId}, met het toegekende aandeel van iedere aanvraag.\n";
        var protocolEn = $"In the public allocation protocol your application appears under the pseudonym {application.PoolId}, with every application's share.\n";
        if (outcome.Granted is not { } granted)
        {
            var minimum = round.Allocation.MinimumGrant ?? 0;
            return Compose(application,
                nl: ($"Uitslag verdeling {roundName}: uw aanvraag {application.ReceiptNumber} komt niet in aanmerking",
                    $"Geachte heer/mevrouw,\n\nHet budget van het tijdvak {roundName} is naar rato verdeeld: alle aanvragen samen vroegen meer dan het budget, dus elke aanvraag is met hetzelfde percentage verlaagd. " +
                    $"Het aandeel van uw aanvraag {application.ReceiptNumber} zou lager zijn dan {MailFormat.Euros(minimum, "nl")}, het minimum waarmee een project in deze regeling uitvoerbaar is. " +
                    $"Daarom komt uw aanvraag niet in aanmerking voor subsidie.\n\n{ObjectionRouteNl}{ResearchNl}{protocolNl}"),
                en: ($"Allocation result {roundName}: your application {application.ReceiptNumber} is not funded",
                    $"Dear applicant,\n\nThe budget of the round {roundName} was shared out pro rata: together the applications asked for more than the budget, so every request was cut by the same fraction. " +
                    $"The share of your application {application.ReceiptNumber} would be less than {MailFormat.Euros(minimum, "en")}, the least a project can be carried out with in this scheme. " +
                    $"It is therefore not funded.\n\n{ObjectionRouteEn}{ResearchEn}{protocolEn}"));
        }

        var (shareNl, shareEn) = granted == requested
            ? ($"Alle aanvragen passen binnen het budget: voor uw aanvraag {application.ReceiptNumber} is het gevraagde bedrag van {MailFormat.Euros(granted, "nl")} beschikbaar.",
                $"Every request fits the budget: the {MailFormat.Euros(granted, "en")} your application {application.ReceiptNumber} asked for is available.")
            : ($"Alle aanvragen samen vroegen meer dan het budget, dus elke aanvraag is met hetzelfde percentage verlaagd: voor uw aanvraag {application.ReceiptNumber} is {MailFormat.Euros(granted, "nl")} beschikbaar van de gevraagde {MailFormat.Euros(requested, "nl")}.",
                $"Together the applications asked for more than the budget, so every request was cut by the same fraction: {MailFormat.Euros(granted, "en")} of the {MailFormat.Euros(requested, "en")} your application {application.ReceiptNumber} asked for is available.");
        return Compose(application,
            nl: ($"Uitslag verdeling {roundName}: {MailFormat.Euros(granted, "nl")} beschikbaar voor uw aanvraag {application.ReceiptNumber}",
                $"Geachte heer/mevrouw,\n\nHet budget van het tijdvak {roundName} is naar rato verdeeld. {shareNl} {NextStep(round).Nl}\n\n{protocolNl}"),
            en: ($"Allocation result {roundName}: {MailFormat.Euros(granted, "en")} available for your application {application.ReceiptNumber}",
                $"Dear applicant,\n\nThe budget of the round {roundName} was shared out pro rata. {shareEn} {NextStep(round).En}\n\n{protocolEn}"));
    }

    public static OutboxEmail SelectedFromReserve(ApplicationData application, string roundName, RoundConfiguration round) => Compose(application,
        nl: ($"Uw aanvraag {application.ReceiptNumber} is alsnog ingeloot",
            $"Geachte heer/mevrouw,\n\nEr is budget vrijgekomen in het tijdvak {roundName}. Volgens de gepubliceerde volgorde van de loting is uw aanvraag {application.ReceiptNumber} nu aan de beurt. {NextStep(round).Nl}\n"),
        en: ($"Your application {application.ReceiptNumber} has now been selected",
            $"Dear applicant,\n\nBudget has become available in the round {roundName}. Following the published lottery order, your application {application.ReceiptNumber} is next. {NextStep(round).En}\n"));

    /// <summary>What happens to a selected application next, as the round's design has it: the committee assesses it, it already did, or the decision follows directly.</summary>
    private static (string Nl, string En) NextStep(RoundConfiguration round) =>
        round.AssessesAfterDraw
            ? ("Zij wordt nu inhoudelijk beoordeeld door de toetsingscommissie; daarna besluiten wij over de subsidie.",
                "It will now be assessed by the assessment committee; we then decide on the grant.")
            : round.Allocation.AssessesBeforeDraw
                ? ("De toetsingscommissie heeft haar al positief beoordeeld; u ontvangt binnenkort ons besluit.",
                    "The assessment committee has already assessed it positively; you will receive our decision shortly.")
                : ("U ontvangt binnenkort ons besluit over de toekenning.", "You will receive our decision on the award shortly.");

    /// <summary>What an objection is against, as the letters name it: the rejection, or the turn-down by the round's method.</summary>
    private static (string Nl, string En) Revoked(ApplicationData application) =>
        application.Rejection is null ? ("de uitslag van de verdeling", "the allocation result") : ("de afwijzing", "the rejection");

    private static string Capitalised(string text) => string.Concat(char.ToUpperInvariant(text[0]).ToString(), text.AsSpan(1));

    /// <summary>The acknowledgement of an objection: what was received, what happens next and the date it will be decided by.</summary>
    public static OutboxEmail ObjectionLodged(ApplicationData application)
    {
        var objection = application.Objection!;
        var decidedAt = new Application(application).ObjectedDecisionAt ?? objection.LodgedAt;
        var (decisionNl, decisionEn) = application.Rejection is null
            ? ($"dat uw aanvraag {application.ReceiptNumber} (\"{application.Content.Title}\") bij de verdeling van het budget niet in aanmerking komt",
                $"that your application {application.ReceiptNumber} (\"{application.Content.Title}\") is not funded in the allocation of the budget")
            : ($"om uw aanvraag {application.ReceiptNumber} (\"{application.Content.Title}\") af te wijzen", $"to reject your application {application.ReceiptNumber} (\"{application.Content.Title}\")");
        var (revokedNl, revokedEn) = Revoked(application);
        return Compose(application,
            nl: ($"Ontvangstbevestiging bezwaar bij aanvraag {application.ReceiptNumber}",
                $"""
                Geachte heer/mevrouw,

                Op {LocalNl(objection.LodgedAt)} (Amsterdamse tijd) hebben wij uw bezwaar ontvangen tegen ons besluit van {MailFormat.Date(decidedAt, Languages.Dutch)}
                {decisionNl}.

                Uw bezwaargronden:
                {objection.Grounds}

                Wat er nu gebeurt: wij heroverwegen ons besluit aan de hand van uw bezwaar en beslissen uiterlijk op {MailFormat.Date(objection.DecideBy, Languages.Dutch)}.
                Verklaren wij uw bezwaar gegrond, dan herroepen wij {revokedNl} en behandelen wij uw aanvraag verder. Verklaren wij het
                ongegrond, dan blijft {revokedNl} staan. U ontvangt onze beslissing met de motivering per e-mail; uw bezwaar en, zodra
                die er is, onze beslissing kunt u ook bij uw aanvraag inzien.
                """),
            en: ($"Acknowledgement of your objection on application {application.ReceiptNumber}",
                $"""
                Dear applicant,

                On {LocalEn(objection.LodgedAt)} (Amsterdam time) we received your objection to our decision of {MailFormat.Date(decidedAt, Languages.English)}
                {decisionEn}.

                Your grounds:
                {objection.Grounds}

                What happens next: we reconsider our decision in the light of your objection and decide by {MailFormat.Date(objection.DecideBy, Languages.English)} at the latest.
                If we uphold your objection, we revoke {revokedEn} and continue with your application. If we dismiss it,
                {revokedEn} stands. You will receive our decision and its reasons by email; you can also see your objection and, once
                made, our decision with your application.
                """));
    }

    /// <summary>The decision on an objection (<i>beslissing op bezwaar</i>): upheld or dismissed, with its reasons and what follows.</summary>
    public static OutboxEmail ObjectionDecided(ApplicationData application)
    {
        var objection = application.Objection!;
        var (revokedNl, revokedEn) = Revoked(application);
        return objection.Upheld == true
            ? Compose(application,
                nl: ($"Beslissing op bezwaar bij aanvraag {application.ReceiptNumber}: gegrond",
                    $"""
                    Geachte heer/mevrouw,

                    Wij hebben beslist op uw bezwaar van {MailFormat.Date(objection.LodgedAt, Languages.Dutch)} tegen {revokedNl} van uw aanvraag
                    {application.ReceiptNumber} ("{application.Content.Title}").

                    Beslissing: uw bezwaar is gegrond. Wij herroepen {revokedNl}.

                    Motivering:
                    {objection.Reasoning}

                    Wat er nu gebeurt: wij behandelen uw aanvraag verder en nemen er een nieuw besluit op, dat u apart ontvangt.
                    """),
                en: ($"Decision on your objection on application {application.ReceiptNumber}: upheld",
                    $"""
                    Dear applicant,

                    We have decided on your objection of {MailFormat.Date(objection.LodgedAt, Languages.English)} to {revokedEn} of your application
                    {application.ReceiptNumber} ("{application.Content.Title}").

                    Decision: your objection is upheld. We revoke {revokedEn}.

                    Reasons:
                    {objection.Reasoning}

                    What happens next: we continue with your application and take a new decision on it, which you will receive separately.
                    """))
            : Compose(application,
                nl: ($"Beslissing op bezwaar bij aanvraag {application.ReceiptNumber}: ongegrond",
                    $"""
                    Geachte heer/mevrouw,

                    Wij hebben beslist op uw bezwaar van {MailFormat.Date(objection.LodgedAt, Languages.Dutch)} tegen {revokedNl} van uw aanvraag
                    {application.ReceiptNumber} ("{application.Content.Title}").

                    Beslissing: uw bezwaar is ongegrond. {Capitalised(revokedNl)} van uw aanvraag blijft in stand.

                    Motivering:
                    {objection.Reasoning}

                    Bent u het niet eens met deze beslissing, dan kunt u binnen zes weken na de dag waarop zij is verzonden
                    beroep instellen bij de rechtbank.
                    """),
                en: ($"Decision on your objection on application {application.ReceiptNumber}: dismissed",
                    $"""
                    Dear applicant,

                    We have decided on your objection of {MailFormat.Date(objection.LodgedAt, Languages.English)} to {revokedEn} of your application
                    {application.ReceiptNumber} ("{application.Content.Title}").

                    Decision: your objection is dismissed. {Capitalised(revokedEn)} of your application stands.

                    Reasons:
                    {objection.Reasoning}

                    If you disagree with this decision, you may appeal to the administrative court within six weeks of the day it was sent.
                    """));
    }

    public static OutboxEmail RoundClosed(ApplicationData application, string roundName)
    {
        var submitted = application.SubmittedAt is not null;
        return Compose(application,
            nl: ($"Het tijdvak {roundName} is gesloten",
                submitted
                    ? $"Geachte heer/mevrouw,\n\nHet tijdvak {roundName} is gesloten. Uw aanvraag {application.ReceiptNumber} is op tijd ingediend en wordt verder behandeld.\n"
                    : $"Geachte heer/mevrouw,\n\nHet tijdvak {roundName} is gesloten. Uw concept-aanvraag is niet ingediend en kan niet meer worden ingediend.\n"),
            en: ($"The round {roundName} has closed",
                submitted
                    ? $"Dear applicant,\n\nThe round {roundName} has closed. Your application {application.ReceiptNumber} was submitted in time and will be processed.\n"
                    : $"Dear applicant,\n\nThe round {roundName} has closed. Your draft application was not submitted and can no longer be.\n"));
    }

    private static OutboxEmail Compose(ApplicationData application, (string Subject, string Body) nl, (string Subject, string Body) en) =>
        MailText.InLanguage(application.Applicant.Language, application.Applicant.ContactEmail, nl, en);

    private static string LocalNl(DateTimeOffset instant) => MailFormat.DateTime(instant, Languages.Dutch);

    private static string LocalEn(DateTimeOffset instant) => MailFormat.DateTime(instant, Languages.English);
}
