using System.Globalization;
using Grants.Domain.Common;

namespace Grants.Functions.Notifications;

/// <summary>
/// Dates, times and amounts in letters as their readers write them: Amsterdam local time, written out
/// ("3 juni 2026 om 14.00 uur", "3 June 2026 at 14:00"), and euros with the separators of the letter's
/// language ("€ 100.000", "€100,000"). Dutch unless the letter is English, as <see cref="MailText"/> chooses.
/// </summary>
public static class MailFormat
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    public static string Date(DateTimeOffset instant, string language) =>
        AmsterdamTime.ToLocal(instant).ToString("d MMMM yyyy", Culture(language));

    public static string DateTime(DateTimeOffset instant, string language) =>
        IsEnglish(language)
            ? AmsterdamTime.ToLocal(instant).ToString("d MMMM yyyy 'at' HH:mm", English)
            : AmsterdamTime.ToLocal(instant).ToString("d MMMM yyyy 'om' HH.mm 'uur'", Dutch);

    /// <summary>Whole euros without decimals; cents only when there are any.</summary>
    public static string Euros(long cents, string language)
    {
        var culture = Culture(language);
        var amount = (cents / 100m).ToString(cents % 100 == 0 ? "N0" : "N2", culture);
        return IsEnglish(language) ? $"€{amount}" : $"€ {amount}";
    }

    private static bool IsEnglish(string language) => language == Languages.English;

    private static CultureInfo Culture(string language) => IsEnglish(language) ? English : Dutch;
}
