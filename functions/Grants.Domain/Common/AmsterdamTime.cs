namespace Grants.Domain.Common;

/// <summary>Rounds open and close at Dutch local times; this converts them to instants and back.</summary>
public static class AmsterdamTime
{
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>The instant of a local Amsterdam time; refuses times that do not exist or happen twice (DST changes).</summary>
    public static DateTimeOffset ToInstant(DateTime local, string field)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(unspecified))
        {
            throw new DomainRuleException(field, "does not exist in Amsterdam (clocks go forward then)");
        }

        if (Zone.IsAmbiguousTime(unspecified))
        {
            throw new DomainRuleException(field, "happens twice in Amsterdam (clocks go back then); choose another time");
        }

        return new DateTimeOffset(unspecified, Zone.GetUtcOffset(unspecified));
    }

    public static DateTime ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).DateTime;
}
