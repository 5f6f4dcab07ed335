using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Grants.Functions.Platform.Mail;

/// <summary>The local default: each message becomes an .eml file that any mail client opens.</summary>
public sealed partial class PickupDirectoryTransport(IOptions<MailOptions> options, ILogger<PickupDirectoryTransport> logger) : IMailTransport
{
    public async Task SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(options.Value.PickupDirectory);
        Directory.CreateDirectory(directory);
        foreach (var message in messages)
        {
            // Message ids are ours (aggregate.sequence.index), so the name is safe and a resend overwrites.
            var path = Path.Combine(directory, (message.MessageId ?? Guid.NewGuid().ToString("N")).Replace('@', '_') + ".eml");
            await message.WriteToAsync(path, cancellationToken);
            LogWritten(logger, message.Subject ?? "", path);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail \"{Subject}\" written to {Path}")]
    private static partial void LogWritten(ILogger logger, string subject, string path);
}
