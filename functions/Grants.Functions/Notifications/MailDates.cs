using System.Globalization;
using Grants.Domain.Common;

namespace Grants.Functions.Notifications;

/// <summary>Dates in mail as people read them: Amsterdam local time, written out in Dutch or English.</summary>
public static class MailDates
{
    public static string Dutch(DateTimeOffset instant) => AmsterdamTime.ToLocal(instant).ToString("d MMMM yyyy HH:mm", CultureInfo.GetCultureInfo("nl-NL"));

    public static string English(DateTimeOffset instant) => AmsterdamTime.ToLocal(instant).ToString("d MMMM yyyy HH:mm", CultureInfo.GetCultureInfo("en-GB"));
}
