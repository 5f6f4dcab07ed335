namespace Grants.Functions.Platform.Mail;

/// <summary>
/// Outgoing mail. With <see cref="SmtpOptions.Host"/> set, mail goes over SMTP (MailKit); otherwise
/// each message is written as an .eml file into <see cref="PickupDirectory"/> (the local default).
/// </summary>
public sealed class MailOptions
{
    public const string SectionName = "Mail";

    public string From { get; set; } = "Grants <noreply@grants.localhost>";

    /// <summary>Where notices for ministry staff go (e.g. the programme team's shared mailbox).</summary>
    public string MinistryMailbox { get; set; } = "subsidies@ministry.localhost";

    public string PickupDirectory { get; set; } = Path.Combine(".grants", "mail");

    /// <summary>Attempts before a message is parked as failed and reported in the log as an error.</summary>
    public int MaxAttempts { get; set; } = 10;

    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>MailKit's SecureSocketOptions: None, Auto, StartTls, StartTlsWhenAvailable, SslOnConnect.</summary>
    public string Security { get; set; } = "StartTls";

    public string? UserName { get; set; }

    public string? Password { get; set; }
}
