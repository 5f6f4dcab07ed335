using System.Globalization;
using Grants.Domain.Common;

namespace Grants.Functions.Notifications;

/// <summary>Dates in mail as people read them: Amsterdam local time, written out in Dutch or English.</summary>
public static class MailDates
{
    public static string Dutch(DateTimeOffset instant) => AmsterdamTime.ToLocal(instant).ToString("d MMMM yyyy HH:mm", CultureInfo.GetCultureInfo("nl-NL"));

    public static string English(DateTimeOffset instant) => AmsterdamTime.ToLocal(instant).ToString("d MMMM yyyy HH:mm", CultureInfo.GetCultureInfo("en-GB"));

    /// <summary>The day alone, for deadlines and the dates of earlier decisions.</summary>
    public static string DutchDay(DateTimeOffset instant) => AmsterdamTime.ToLocal(instant).ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("nl-NL"));

    public static string EnglishDay(DateTimeOffset instant) => AmsterdamTime.ToLocal(instant).ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));
}
