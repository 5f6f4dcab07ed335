using Grants.Domain.Common;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Notifications;

/// <summary>
/// One mail in the recipient's language: the English text for "en", the Dutch one otherwise. The mail
/// carries that language, so that the closing the outbox adds to every letter is in it too.
/// </summary>
public static class MailText
{
    public static OutboxEmail InLanguage(string language, string to, (string Subject, string Body) nl, (string Subject, string Body) en, bool confidential = false)
    {
        var english = language == Languages.English;
        var (subject, body) = english ? en : nl;
        return new OutboxEmail(to, subject, body, confidential, english ? Languages.English : Languages.Dutch);
    }
}
