using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Domain.Execution;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Notifications;

/// <summary>Report deadlines, in the grantee's language.</summary>
public static class GrantMail
{
    public static OutboxEmail ReportDueSoon(ApplicationData grantee, ProjectReport report) => Compose(grantee,
        nl: ($"Herinnering: {KindNl(report)} voor {grantee.ReceiptNumber}", $"Geachte heer/mevrouw,\n\nHet {KindNl(report)} voor project {grantee.ReceiptNumber} moet uiterlijk {MailFormat.DateTime(report.DueAt, Languages.Dutch)} (Amsterdamse tijd) bij ons binnen zijn.\nU dient het als pdf in via het portaal."),
        en: ($"Reminder: {KindEn(report)} for {grantee.ReceiptNumber}", $"Dear grantee,\n\nThe {KindEn(report)} for project {grantee.ReceiptNumber} is due by {MailFormat.DateTime(report.DueAt, Languages.English)} (Amsterdam time).\nPlease submit it as a PDF in the portal."));

    public static OutboxEmail ReportOverdue(ApplicationData grantee, ProjectReport report) => Compose(grantee,
        nl: ($"Te laat: {KindNl(report)} voor {grantee.ReceiptNumber}", $"Geachte heer/mevrouw,\n\nHet {KindNl(report)} voor project {grantee.ReceiptNumber} had uiterlijk {MailFormat.DateTime(report.DueAt, Languages.Dutch)} (Amsterdamse tijd) bij ons binnen moeten zijn. Wij hebben het niet ontvangen.\nWilt u het zo snel mogelijk indienen via het portaal? Zonder verslag kunnen wij de subsidie niet vaststellen."),
        en: ($"Overdue: {KindEn(report)} for {grantee.ReceiptNumber}", $"Dear grantee,\n\nThe {KindEn(report)} for project {grantee.ReceiptNumber} was due by {MailFormat.DateTime(report.DueAt, Languages.English)} (Amsterdam time) and has not been received.\nPlease submit it in the portal as soon as possible; without it the subsidy cannot be settled."));

    private static string KindNl(ProjectReport report) => report.Kind == ReportKinds.Final ? "eindverslag" : "voortgangsverslag";

    private static string KindEn(ProjectReport report) => report.Kind == ReportKinds.Final ? "final report" : "progress report";

    private static OutboxEmail Compose(ApplicationData grantee, (string Subject, string Body) nl, (string Subject, string Body) en) =>
        MailText.InLanguage(grantee.Applicant.Language, grantee.Applicant.ContactEmail, nl, en);
}
