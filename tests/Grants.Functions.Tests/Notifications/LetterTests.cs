using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Grants.Contracts.Applications;
using Grants.Contracts.Lottery;
using Grants.Contracts.Rounds;
using Grants.Contracts.Schemes;
using Grants.Contracts.Vouchers;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;
using MimeKit;

namespace Grants.Functions.Tests.Notifications;

/// <summary>
/// Letters as their readers get them, over real SMTP: what they ask of the reader fits the instrument,
/// reasons and amounts read as words and money in the reader's language, and every letter says who sent
/// it and how to reach the programme team.
/// </summary>
public sealed class LetterTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The test host's mail settings are the defaults of <see cref="MailOptions"/>.</summary>
    private static readonly MailOptions Mail = new();

    [Fact]
    public async Task EnglishLettersWriteEurosTheEnglishWay()
    {
        var round = await DrawnRoundAsync(["en"], [100_000_00]);
        var (kvk, application) = round.Applicants.Single();
        await new LotteryScenario(api).AssessAsync(round.Round.Id, application.Id);

        await LotteryScenario.Ok(Ministry().PostAsync($"api/applications/{application.Id}/award", HttpAssertions.Json(new AwardRequest(100_000_00)), Ct));

        var letter = await LetterAsync(kvk, $"Decision: grant awarded for application {application.ReceiptNumber}");
        Assert.Contains("€100,000", letter.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("100.000", letter.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatesAndTimesReadAsTheLettersLanguageWritesThem()
    {
        var ((dutchKvk, dutch), (englishKvk, english)) = await SubmittedInBothLanguagesAsync();
        var deadline = new DateTimeOffset(2099, 3, 4, 13, 5, 0, TimeSpan.Zero); // 14:05 in Amsterdam, in winter time

        foreach (var application in new[] { dutch, english })
        {
            await LotteryScenario.Ok(Ministry().PostAsync($"api/applications/{application.Id}/information-requests",
                HttpAssertions.Json(new RequestInformationRequest("Stuur de getekende begroting.", deadline)), Ct));
        }

        var dutchLetter = await LetterAsync(dutchKvk, $"Verzoek om aanvullende informatie bij aanvraag {dutch.ReceiptNumber}");
        var englishLetter = await LetterAsync(englishKvk, $"Request for additional information on application {english.ReceiptNumber}");
        Assert.Contains("vóór 4 maart 2099 om 14.05 uur (Amsterdamse tijd)", dutchLetter.TextBody, StringComparison.Ordinal);
        Assert.Contains("before 4 March 2099 at 14:05 (Amsterdam time)", englishLetter.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryLetterEndsWithWhoSentItAndHowToReachTheProgrammeTeam()
    {
        var round = await DrawnRoundAsync(["nl", "en"], [60_000_00, 50_000_00]);
        var ((dutchKvk, dutch), (englishKvk, english)) = (round.Applicants[0], round.Applicants[1]);
        await new LotteryScenario(api).AssessAsync(round.Round.Id, dutch.Id);
        await LotteryScenario.Ok(Ministry().PostAsync($"api/applications/{dutch.Id}/award", HttpAssertions.Json(new AwardRequest(60_000_00)), Ct));
        await LotteryScenario.Ok(Ministry().PostAsync($"api/applications/{english.Id}/reject",
            HttpAssertions.Json(new RejectRequest(["assessment-negative"], "No employee involvement.")), Ct));
        await api.FireAsync(nameof(RelayOutbox));

        // Receipt, the round's closure, eligibility, the draw's outcome and the decision: each a letter of its own.
        var dutchLetters = await LettersAsync(dutchKvk, 5);
        var englishLetters = await LettersAsync(englishKvk, 5);

        var sender = MailboxAddress.Parse(Mail.From).Name;
        Assert.All(dutchLetters, letter =>
        {
            Assert.EndsWith($"Met vriendelijke groet,\n\n{sender}\n\nHeeft u vragen? Neem dan contact op met het programmateam via {Mail.MinistryMailbox}.", Normalised(letter), StringComparison.Ordinal);
            Assert.Equal(Mail.MinistryMailbox, letter.ReplyTo.Mailboxes.Single().Address);
        });
        Assert.All(englishLetters, letter =>
        {
            Assert.EndsWith($"Kind regards,\n\n{sender}\n\nAny questions? Please contact the programme team at {Mail.MinistryMailbox}.", Normalised(letter), StringComparison.Ordinal);
            Assert.Equal(Mail.MinistryMailbox, letter.ReplyTo.Mailboxes.Single().Address);
        });
    }

    [Fact]
    public async Task IneligibilityLettersGiveTheirReasonsInWordsOfTheApplicantsLanguage()
    {
        var ((dutchKvk, dutch), (englishKvk, english)) = await SubmittedInBothLanguagesAsync();

        foreach (var application in new[] { dutch, english })
        {
            await LotteryScenario.Ok(Ministry().PostAsync($"api/applications/{application.Id}/eligibility",
                HttpAssertions.Json(new DecideEligibilityRequest("ineligible", ["not-an-innovation-project", "outside-themes"])), Ct));
        }

        var dutchLetter = await LetterAsync(dutchKvk, $"Uw aanvraag {dutch.ReceiptNumber} is niet ontvankelijk");
        var englishLetter = await LetterAsync(englishKvk, $"Your application {english.ReceiptNumber} is not eligible");
        Assert.Contains("- Het project is geen innovatieproject in de zin van de regeling.\n- Het project past niet binnen de thema's van dit tijdvak.", Normalised(dutchLetter), StringComparison.Ordinal);
        Assert.Contains("- The project is not an innovation project as the scheme defines it.\n- The project does not fit the themes of this round.", Normalised(englishLetter), StringComparison.Ordinal);
        Assert.All(new[] { dutchLetter, englishLetter }, letter => Assert.DoesNotContain("not-an-innovation-project", letter.TextBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoticeToStaffNamesTheInstrumentInWordsAndGoesWithoutALettersClosing()
    {
        using var ministry = api.As(Roles.Ministry, subject: "programme-manager");
        var (scheme, _) = await ministry.CreateAsync(new CreateSchemeRequest($"Innovation vouchers {Guid.NewGuid():N}"[..28], "Voucher"));

        await api.FireAsync(nameof(RelayOutbox));
        var notice = await api.Smtp.WaitForAsync(m => m.Subject == $"Scheme created: {scheme.Name}");

        Assert.StartsWith($"The voucher scheme \"{scheme.Name}\" was created by programme-manager.", notice.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Met vriendelijke groet", notice.TextBody, StringComparison.Ordinal);
        Assert.Empty(notice.ReplyTo);
    }

    [Fact]
    public async Task RejectionLettersGiveTheirReasonsInWordsOfTheApplicantsLanguage()
    {
        var round = await DrawnRoundAsync(["nl", "en"], [60_000_00, 50_000_00]);
        foreach (var (_, application) in round.Applicants)
        {
            await LotteryScenario.Ok(Ministry().PostAsync($"api/applications/{application.Id}/reject",
                HttpAssertions.Json(new RejectRequest(["assessment-negative"], "The committee advised against: no employee involvement.")), Ct));
        }

        var ((dutchKvk, dutch), (englishKvk, english)) = (round.Applicants[0], round.Applicants[1]);
        var dutchLetter = await LetterAsync(dutchKvk, $"Beschikking: aanvraag {dutch.ReceiptNumber} afgewezen");
        var englishLetter = await LetterAsync(englishKvk, $"Decision: application {english.ReceiptNumber} rejected");

        Assert.Contains("- De toetsingscommissie heeft negatief geadviseerd over uw aanvraag.", dutchLetter.TextBody, StringComparison.Ordinal);
        Assert.Contains("- The assessment committee advised against your application.", englishLetter.TextBody, StringComparison.Ordinal);
        Assert.All(new[] { dutchLetter, englishLetter }, letter => Assert.DoesNotContain("assessment-negative", letter.TextBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task VoucherAwardLetterAsksTheHolderToRedeemTheVoucherBeforeItExpiresNotToAcceptIt()
    {
        var round = await DrawnRoundAsync(["nl", "en"], [7_500_00, 7_500_00], voucher: true);
        foreach (var (_, application) in round.Applicants)
        {
            await LotteryScenario.Ok(Ministry().PostAsync($"api/applications/{application.Id}/award", HttpAssertions.Json(new AwardRequest(7_500_00)), Ct));
        }

        var ((dutchKvk, dutch), (englishKvk, english)) = (round.Applicants[0], round.Applicants[1]);
        var dutchLetter = await LetterAsync(dutchKvk, $"Beschikking: innovatievoucher toegekend voor aanvraag {dutch.ReceiptNumber}");
        var englishLetter = await LetterAsync(englishKvk, $"Decision: innovation voucher awarded for application {english.ReceiptNumber}");

        var dutchUntil = await ValidUntilAsync(dutchKvk, dutch.Id, "nl-NL");
        var englishUntil = await ValidUntilAsync(englishKvk, english.Id, "en-GB");
        Assert.Contains($"Verzilver de voucher vóór {dutchUntil} om ", dutchLetter.TextBody, StringComparison.Ordinal);
        Assert.Contains("(Amsterdamse tijd) bij een kennisinstelling of adviesbureau naar keuze", dutchLetter.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Redeem the voucher before {englishUntil} at ", englishLetter.TextBody, StringComparison.Ordinal);
        Assert.Contains("(Amsterdam time) at a knowledge institution or consultancy of your choice", englishLetter.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("aanvaard", dutchLetter.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("accept", englishLetter.TextBody, StringComparison.OrdinalIgnoreCase);
        var englishCode = await LetterAsync(englishKvk, $"Your innovation voucher for {round.Round.Name}");
        Assert.Contains("innovation voucher of €7,500", englishCode.TextBody, StringComparison.Ordinal);

        // And as the letter says, there is nothing to accept.
        using var holder = api.As(Roles.Applicant, organisation: dutchKvk, subject: $"user-{dutchKvk}");
        var answer = await holder.PostAsync($"api/applications/{dutch.Id}/award/answer", HttpAssertions.Json(new AnswerAwardRequest(true)), Ct);
        var problem = await answer.AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        Assert.Equal("A voucher needs no acceptance: its holder redeems it at a supplier before it expires, or returns it.", problem.GetProperty("detail").GetString());
    }

    /// <summary>Voucher rounds are not assessed: their draw letters must not promise an assessment, as project rounds' letters rightly do.</summary>
    [Fact]
    public async Task DrawLettersSayWhatComesNextAsTheRoundsDesignHasIt()
    {
        var voucher = await DrawnRoundAsync(["nl", "en"], [7_500_00, 7_500_00], voucher: true);
        var subsidy = await DrawnRoundAsync(["nl"], [100_000_00]);

        var ((dutchKvk, dutch), (englishKvk, english)) = (voucher.Applicants[0], voucher.Applicants[1]);
        var dutchVoucher = await LetterAsync(dutchKvk, $"Uitslag loting {voucher.Round.Name}: uw aanvraag {dutch.ReceiptNumber} is ingeloot");
        var englishVoucher = await LetterAsync(englishKvk, $"Lottery result {voucher.Round.Name}: your application {english.ReceiptNumber} was drawn");
        var (subsidyKvk, project) = subsidy.Applicants.Single();
        var dutchSubsidy = await LetterAsync(subsidyKvk, $"Uitslag loting {subsidy.Round.Name}: uw aanvraag {project.ReceiptNumber} is ingeloot");

        Assert.True(dutchVoucher.TextBody!.Contains("U ontvangt binnenkort ons besluit over de toekenning.", StringComparison.Ordinal), dutchVoucher.TextBody);
        Assert.DoesNotContain("beoordeeld", dutchVoucher.TextBody, StringComparison.Ordinal);
        Assert.Contains("You will receive our decision on the award shortly.", englishVoucher.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("assessed", englishVoucher.TextBody, StringComparison.Ordinal);
        Assert.Contains("Zij wordt nu inhoudelijk beoordeeld door de toetsingscommissie", dutchSubsidy.TextBody, StringComparison.Ordinal);
    }

    /// <summary>One application submitted in Dutch and one in English, to an open round of their own.</summary>
    private async Task<((string Kvk, ApplicationResponse Application) Dutch, (string Kvk, ApplicationResponse Application) English)> SubmittedInBothLanguagesAsync()
    {
        var round = await api.OpenRoundAsync();
        var (dutchKvk, englishKvk) = (GrantBuilders.NewKvk(), GrantBuilders.NewKvk());
        using var dutchApplicant = await api.RegisteredApplicantAsync(dutchKvk);
        using var englishApplicant = await api.RegisteredApplicantAsync(englishKvk, language: "en");
        return ((dutchKvk, await dutchApplicant.SubmittedAsync(round.Id)), (englishKvk, await englishApplicant.SubmittedAsync(round.Id)));
    }

    private HttpClient Ministry() => api.As(Roles.Ministry, subject: "beleidsmedewerker");

    private async Task<string> ValidUntilAsync(string kvk, string applicationId, string culture)
    {
        using var holder = api.As(Roles.Applicant, organisation: kvk, subject: $"user-{kvk}");
        var voucher = await (await holder.GetAsync($"api/applications/{applicationId}/voucher", Ct)).ReadAsync<VoucherResponse>();
        return AmsterdamTime.ToLocal(voucher.ValidUntil).ToString("d MMMM yyyy", CultureInfo.GetCultureInfo(culture));
    }

    private async Task<MimeMessage> LetterAsync(string kvk, string subject)
    {
        await api.FireAsync(nameof(RelayOutbox));
        return await api.Smtp.WaitForAsync(m => m.Subject == subject && m.To.Mailboxes.Any(b => b.Address == GrantBuilders.ContactEmail(kvk)));
    }

    private async Task<IReadOnlyList<MimeMessage>> LettersAsync(string kvk, int count)
    {
        var address = GrantBuilders.ContactEmail(kvk);
        await api.Smtp.WaitForAsync(_ => api.Smtp.Messages.Count(m => m.To.Mailboxes.Any(b => b.Address == address)) >= count);
        return [.. api.Smtp.Messages.Where(m => m.To.Mailboxes.Any(b => b.Address == address))];
    }

    private static string Normalised(MimeMessage letter) => letter.TextBody!.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();

    private sealed record Drawn(RoundResponse Round, List<(string Kvk, ApplicationResponse Application)> Applicants);

    /// <summary>A round whose ceiling funds every applicant, one applicant per language given, drawn and published.</summary>
    private async Task<Drawn> DrawnRoundAsync(string[] languages, long[] amounts, bool voucher = false)
    {
        var scheme = await (await Ministry().PostAsync("api/schemes", HttpAssertions.Json(new CreateSchemeRequest($"Letters {Guid.NewGuid():N}"[..20], voucher ? "Voucher" : "ProjectSubsidy")), Ct))
            .ReadAsync<SchemeResponse>(HttpStatusCode.Created);
        var configuration = GrantBuilders.Esf2008(api.Clock) with { BudgetCeilingCents = Math.Max(amounts.Sum(), 120_000_00), MinimumControlGroup = 0 };
        if (voucher)
        {
            configuration = configuration with { Instrument = "Voucher", VoucherValueCents = amounts[0], MaxPerApplicationCents = amounts[0], Vouchers = new VoucherRulesDto(180) };
        }

        var round = await (await Ministry().PostAsync($"api/schemes/{scheme.Id}/rounds", HttpAssertions.Json(new CreateRoundRequest($"Tijdvak {Guid.NewGuid():N}"[..16], configuration)), Ct))
            .ReadAsync<RoundResponse>(HttpStatusCode.Created);
        await LotteryScenario.Ok(Ministry().PostAsync($"api/rounds/{round.Id}/open", null, Ct));
        var seed = RandomNumberGenerator.GetBytes(32);
        await LotteryScenario.Ok(Ministry().PostAsync($"api/rounds/{round.Id}/lottery/commitments", HttpAssertions.Json(new CommitSeedRequest(LotteryDraw.Commitment(seed))), Ct));
        var applicants = new List<(string Kvk, ApplicationResponse Application)>();
        for (var i = 0; i < languages.Length; i++)
        {
            var kvk = GrantBuilders.NewKvk();
            using var applicant = await api.RegisteredApplicantAsync(kvk, language: languages[i]);
            applicants.Add((kvk, await applicant.SubmittedAsync(round.Id, GrantBuilders.Content(amountCents: amounts[i]))));
        }

        await LotteryScenario.Ok(Ministry().PostAsync($"api/rounds/{round.Id}/close", null, Ct));
        foreach (var (_, application) in applicants)
        {
            await LotteryScenario.Ok(Ministry().PostAsync($"api/applications/{application.Id}/eligibility", HttpAssertions.Json(new DecideEligibilityRequest("eligible")), Ct));
        }

        await LotteryScenario.Ok(Ministry().PostAsync($"api/rounds/{round.Id}/pool/freeze", null, Ct));
        await LotteryScenario.Ok(Ministry().PostAsync($"api/rounds/{round.Id}/lottery/reveals", HttpAssertions.Json(new RevealSeedRequest(Convert.ToHexStringLower(seed))), Ct));
        var status = await (await Ministry().PostAsync($"api/rounds/{round.Id}/lottery/draw", null, Ct)).ReadDrawAsync(Ministry());
        if (status.Draw!.HeldForBalance)
        {
            await LotteryScenario.Ok(Ministry().PostAsync($"api/rounds/{round.Id}/lottery/publish", HttpAssertions.Json(new ConfirmPublicationRequest("Two applicants: no balance to speak of.")), Ct));
        }

        return new Drawn(round, applicants);
    }
}
