using Grants.Domain.Common;
using MimeKit;

namespace Grants.Functions.Platform.Mail;

/// <summary>
/// The closing of every letter, in its language: who sent it (the display name of <see cref="MailOptions.From"/>)
/// and how to reach the programme team (<see cref="MailOptions.MinistryMailbox"/>). The outbox relay adds it
/// to every mail but notices to staff, so a letter added later is signed without doing anything for it.
/// </summary>
public static class LetterSignature
{
    public static string Sign(string body, string language, MailOptions mail) => $"{body.TrimEnd()}\n\n{Closing(language, mail)}\n";

    public static string Closing(string language, MailOptions mail) =>
        language == Languages.English
            ? $"Kind regards,\n\n{Sender(mail)}\n\nAny questions? Please contact the programme team at {mail.MinistryMailbox}."
            : $"Met vriendelijke groet,\n\n{Sender(mail)}\n\nHeeft u vragen? Neem dan contact op met het programmateam via {mail.MinistryMailbox}.";

    private static string Sender(MailOptions mail) =>
        MailboxAddress.TryParse(mail.From, out var from) ? string.IsNullOrWhiteSpace(from.Name) ? from.Address : from.Name : mail.From;
}
