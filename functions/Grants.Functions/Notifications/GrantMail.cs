using Grants.Domain.Applications;
using Grants.Domain.Execution;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Notifications;

/// <summary>Report deadlines, in the grantee's language.</summary>
public static class GrantMail
{
    public static OutboxEmail ReportDueSoon(ApplicationData grantee, ProjectReport report) => Compose(grantee,
        nl: ($"Herinnering: {KindNl(report)} voor {grantee.ReceiptNumber}", $"Geachte heer/mevrouw,\n\nHet {KindNl(report)} voor project {grantee.ReceiptNumber} moet uiterlijk {MailDates.Dutch(report.DueAt)} (Amsterdamse tijd) binnen zijn.\nU dient het in als PDF in het portaal."),
        en: ($"Reminder: {KindEn(report)} for {grantee.ReceiptNumber}", $"Dear grantee,\n\nThe {KindEn(report)} for project {grantee.ReceiptNumber} is due by {MailDates.English(report.DueAt)} (Amsterdam time).\nPlease submit it as a PDF in the portal."));

    public static OutboxEmail ReportOverdue(ApplicationData grantee, ProjectReport report) => Compose(grantee,
        nl: ($"Te laat: {KindNl(report)} voor {grantee.ReceiptNumber}", $"Geachte heer/mevrouw,\n\nHet {KindNl(report)} voor project {grantee.ReceiptNumber} had uiterlijk {MailDates.Dutch(report.DueAt)} binnen moeten zijn en is niet ontvangen.\nDien het zo snel mogelijk in; zonder verslag kan de subsidie niet worden vastgesteld."),
        en: ($"Overdue: {KindEn(report)} for {grantee.ReceiptNumber}", $"Dear grantee,\n\nThe {KindEn(report)} for project {grantee.ReceiptNumber} was due by {MailDates.English(report.DueAt)} and has not been received.\nPlease submit it as soon as possible; without it the subsidy cannot be settled."));

    private static string KindNl(ProjectReport report) => report.Kind == ReportKinds.Final ? "eindverslag" : "voortgangsverslag";

    private static string KindEn(ProjectReport report) => report.Kind == ReportKinds.Final ? "final report" : "progress report";

    private static OutboxEmail Compose(ApplicationData grantee, (string Subject, string Body) nl, (string Subject, string Body) en) =>
        MailText.InLanguage(grantee.Applicant.Language, grantee.Applicant.ContactEmail, nl, en);
}
