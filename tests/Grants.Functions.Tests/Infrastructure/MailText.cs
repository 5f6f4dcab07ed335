using System.Text.RegularExpressions;

namespace Grants.Functions.Tests.Infrastructure;

/// <summary>What tests read out of delivered mail and send back as a browser would.</summary>
public static partial class MailText
{
    /// <summary>A voucher code as the issue mail shows it: four groups of four Crockford base-32 characters.</summary>
    [GeneratedRegex("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")]
    public static partial Regex VoucherCode();

    /// <summary>A personal questionnaire link in an invitation or reminder.</summary>
    [GeneratedRegex(@"/api/respond/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]{43}")]
    public static partial Regex RespondLink();

    /// <summary>A url-encoded form post, fields in order (a name may repeat, as checkboxes do).</summary>
    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
}
