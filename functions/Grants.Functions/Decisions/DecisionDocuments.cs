using Grants.Domain.Applications;
using Grants.Domain.Rounds;
using Grants.Domain.Schemes;
using Grants.Domain.Vouchers;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Platform.Storage;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Decisions;

/// <summary>
/// Decision letters (<i>beschikkingen</i>) from templates in the applicant's language, kept in Blob Storage
/// and mailed. An award says what the instrument asks of the grantee: a project subsidy is accepted before
/// a date, a voucher is redeemed at a supplier before it expires.
/// </summary>
public sealed class DecisionDocuments(StorageAccount storage, IOptions<MailOptions> mail)
{
    public const string Container = "decisions";

    public static OutboxEmail Render(ApplicationData application, RoundData round)
    {
        if (application.Award is { DecidedAt: { } decidedAt } award)
        {
            return round.Configuration.Instrument == Instrument.Voucher
                ? VoucherAward(application, round, award, decidedAt)
                : SubsidyAward(application, round, award);
        }

        return Rejection(application, round, application.Rejection ?? throw new InvalidOperationException("Nothing has been decided."));
    }

    /// <summary>Stores the letter as mailed, closing included; the name says which decision it records, so a retried decision overwrites its own letter only.</summary>
    public async Task<string> StoreAsync(ApplicationData application, string kind, OutboxEmail letter, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(Container, cancellationToken);
        var name = $"{application.Id}/{kind}.txt";
        await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(LetterSignature.Sign(letter.Body, letter.Language, mail.Value)), overwrite: true, cancellationToken);
        return name;
    }

    /// <summary>
    /// Keeps an award's or a rejection's letter (<see cref="Render"/>), and answers with the change that records
    /// the decision: its audit event naming the letter, and the letter as mail.
    /// </summary>
    public Task<Change> KeepAsync(ApplicationData decided, RoundData round, string kind, string auditType, CancellationToken cancellationToken) =>
        KeepAsync(decided, Render(decided, round), kind, auditType, letter => new { award = decided.Award, rejection = decided.Rejection, letter }, cancellationToken);

    /// <summary>Keeps <paramref name="letter"/> before the decision is committed, so that no decision is stored without the letter the applicant receives.</summary>
    /// <param name="payload">The audit event's payload, given the name the letter is kept under.</param>
    public async Task<Change> KeepAsync(ApplicationData decided, OutboxEmail letter, string kind, string auditType, Func<string, object> payload, CancellationToken cancellationToken)
    {
        var name = await StoreAsync(decided, kind, letter, cancellationToken);
        return Change.Of(new PendingAuditEvent(auditType, payload(name)), letter);
    }

    /// <summary>Retention: removes every letter of the application.</summary>
    public async Task DeleteAllAsync(string applicationId, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(Container, cancellationToken);
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{applicationId}/", cancellationToken))
        {
            await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
        }
    }

    private static OutboxEmail SubsidyAward(ApplicationData application, RoundData round, AwardDecision award)
    {
        string Euros(string language) => MailFormat.Euros(award.AmountCents, language);
        string AcceptBy(string language) => MailFormat.DateTime(award.AcceptBy!.Value, language);
        return Letter(application,
            nl: ($"Beschikking: subsidie verleend voor aanvraag {application.ReceiptNumber}",
                $"Besluit tot subsidieverlening\n\n{Addressee(application, round, dutch: true)}\n\n" +
                $"Wij verlenen u een subsidie van ten hoogste {Euros("nl")}.\n" +
                $"Aanvaard deze verlening in het portaal vóór {AcceptBy("nl")} (Amsterdamse tijd); zonder aanvaarding vervalt zij.\n"),
            en: ($"Decision: grant awarded for application {application.ReceiptNumber}",
                $"Decision to award a grant\n\n{Addressee(application, round, dutch: false)}\n\n" +
                $"We award you a grant of at most {Euros("en")}.\n" +
                $"Please accept it in the portal before {AcceptBy("en")} (Amsterdam time); without acceptance it lapses.\n"));
    }

    private static OutboxEmail VoucherAward(ApplicationData application, RoundData round, AwardDecision award, DateTimeOffset decidedAt)
    {
        var rules = round.Configuration.VoucherRules;
        var validUntil = Voucher.ExpiryFor(decidedAt, rules.ValidityDays);
        string Euros(string language) => MailFormat.Euros(award.AmountCents, language);
        string Until(string language) => MailFormat.DateTime(validUntil, language);
        var (suppliersNl, suppliersEn) = rules.ConsultanciesAllowed
            ? ("een kennisinstelling of adviesbureau naar keuze. Die dient", "a knowledge institution or consultancy of your choice. They submit")
            : ("een kennisinstelling naar keuze. Die dient", "a knowledge institution of your choice. It submits");
        return Letter(application,
            nl: ($"Beschikking: innovatievoucher toegekend voor aanvraag {application.ReceiptNumber}",
                $"Besluit tot toekenning van een innovatievoucher\n\n{Addressee(application, round, dutch: true)}\n\n" +
                $"Wij kennen u een innovatievoucher toe met een waarde van {Euros("nl")}. De vouchercode ontvangt u in een aparte e-mail.\n\n" +
                $"Verzilver de voucher vóór {Until("nl")} (Amsterdamse tijd) bij {suppliersNl} de voucher samen met de factuur bij ons in; " +
                "daarna bevestigt u in het portaal dat het werk is uitgevoerd. Een voucher die op die datum niet is verzilverd, vervalt.\n"),
            en: ($"Decision: innovation voucher awarded for application {application.ReceiptNumber}",
                $"Decision to award an innovation voucher\n\n{Addressee(application, round, dutch: false)}\n\n" +
                $"We award you an innovation voucher worth {Euros("en")}. You will receive the voucher code in a separate e-mail.\n\n" +
                $"Redeem the voucher before {Until("en")} (Amsterdam time) at {suppliersEn} the voucher to us with their invoice; " +
                "you then confirm in the portal that the work has been done. A voucher not redeemed by that date lapses.\n"));
    }

    private static OutboxEmail Rejection(ApplicationData application, RoundData round, Rejection rejection)
    {
        string Note(string label) => string.IsNullOrWhiteSpace(rejection.Note) ? "" : $"\n{label}: {rejection.Note}\n";
        return Letter(application,
            nl: ($"Beschikking: aanvraag {application.ReceiptNumber} afgewezen",
                $"Besluit tot afwijzing\n\n{Addressee(application, round, dutch: true)}\n\n" +
                $"Wij wijzen uw aanvraag af om de volgende redenen:\n{ReasonTexts.List(rejection.ReasonCodes, "nl")}\n{Note("Toelichting")}\n" +
                "U kunt binnen zes weken na de datum van dit besluit bezwaar maken.\n"),
            en: ($"Decision: application {application.ReceiptNumber} rejected",
                $"Decision to reject\n\n{Addressee(application, round, dutch: false)}\n\n" +
                $"We reject your application for the following reasons:\n{ReasonTexts.List(rejection.ReasonCodes, "en")}\n{Note("Explanation")}\n" +
                "You may object within six weeks of the date of this decision.\n"));
    }

    private static string Addressee(ApplicationData application, RoundData round, bool dutch) =>
        dutch
            ? $"Aan: {application.Applicant.LegalName} (KvK {application.Applicant.Kvk})\nTijdvak: {round.Name}\nProject: {application.Content.Title}"
            : $"To: {application.Applicant.LegalName} (KvK {application.Applicant.Kvk})\nRound: {round.Name}\nProject: {application.Content.Title}";

    private static OutboxEmail Letter(ApplicationData application, (string Subject, string Body) nl, (string Subject, string Body) en) =>
        MailText.InLanguage(application.Applicant.Language, application.Applicant.ContactEmail, nl, en);
}
