using MimeKit;

namespace Grants.Functions.Platform.Mail;

/// <summary>Hands messages to the outside world; throws when they were not accepted.</summary>
public interface IMailTransport
{
    Task SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken);
}
