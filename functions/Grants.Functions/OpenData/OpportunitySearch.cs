using System.Globalization;
using Grants.Contracts.OpenData;
using Grants.Domain.Common;
using Grants.Domain.Rounds;

namespace Grants.Functions.OpenData;

/// <summary>
/// The CommonGrants search's filters and orders over opportunities (docs/open-data.md). A range is inclusive at both ends;
/// <c>outside</c> is its complement. A close-date range of dates compares the Amsterdam date the round closes on, one of
/// date-times the moment. An amount filter passes only opportunities that have that amount, in the filter's currency.
/// </summary>
public static class OpportunitySearch
{
    public static bool Passes(CommonGrantsOpportunity opportunity, RoundData round, OpportunityFilters filters) =>
        (filters.Status is not { } status || status.Value.Contains(opportunity.Status.Value, StringComparer.Ordinal) == (status.Operator == "in"))
        && (filters.CloseDateRange is not { } dates || Closes(round, dates.Value) == (dates.Operator == "between"))
        && InRange(opportunity.Funding.TotalAmountAvailable, filters.TotalFundingAvailableRange)
        && InRange(opportunity.Funding.MinAwardAmount, filters.MinAwardAmountRange)
        && InRange(opportunity.Funding.MaxAwardAmount, filters.MaxAwardAmountRange);

    /// <summary>Orders by <paramref name="sortBy"/> (one of <see cref="OpportunitySearchRequest.SortKeys"/>), absent values last either way, then by id.</summary>
    public static int Compare(CommonGrantsOpportunity a, CommonGrantsOpportunity b, string sortBy, bool descending)
    {
        var (x, y) = (KeyOf(a, sortBy), KeyOf(b, sortBy));
        var compared = (x, y) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            (string s, string t) => (descending ? -1 : 1) * string.CompareOrdinal(s, t),
            _ => (descending ? -1 : 1) * x.CompareTo(y),
        };
        return compared != 0 ? compared : string.CompareOrdinal(a.Id, b.Id);
    }

    private static IComparable? KeyOf(CommonGrantsOpportunity o, string sortBy) => sortBy switch
    {
        "lastModifiedAt" => o.LastModifiedAt,
        "createdAt" => o.CreatedAt,
        "title" => o.Title,
        "status.value" => o.Status.Value,
        "keyDates.closeDate" => $"{o.KeyDates.CloseDate.Date}T{o.KeyDates.CloseDate.Time}",
        "funding.maxAwardAmount" => Amount(o.Funding.MaxAwardAmount),
        "funding.minAwardAmount" => Amount(o.Funding.MinAwardAmount),
        "funding.totalAmountAvailable" => Amount(o.Funding.TotalAmountAvailable),
        "funding.estimatedAwardCount" => o.Funding.EstimatedAwardCount,
        _ => throw new ArgumentOutOfRangeException(nameof(sortBy), sortBy, "Not a key the search orders by."),
    };

    /// <summary>
    /// Whether the round closes within the range, both ends included: a date bound is the whole Amsterdam day (from its
    /// first moment, up to but not including the next day's), a date-time bound that moment.
    /// </summary>
    private static bool Closes(RoundData round, CommonGrantsDateRange range)
    {
        var closes = round.ClosedAt is { } closed && closed < round.Configuration.ClosesAt ? closed : round.Configuration.ClosesAt;
        var from = Date(range.Min) is { } firstDay ? DayStart(firstDay) : Moment(range.Min);
        return Date(range.Max) is { } lastDay
            ? from <= closes && closes < DayStart(lastDay.AddDays(1))
            : from <= closes && closes <= Moment(range.Max);
    }

    private static DateOnly? Date(string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>Midnight in Amsterdam, which always exists there (the clocks change at 02:00 and 03:00).</summary>
    private static DateTimeOffset DayStart(DateOnly day) => AmsterdamTime.ToInstant(day.ToDateTime(TimeOnly.MinValue), "closeDateRange");

    /// <param name="value">A date-time with its offset, as the request's validation admits.</param>
    private static DateTimeOffset Moment(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.None);

    private static bool InRange(CommonGrantsMoney? amount, CommonGrantsMoneyRangeFilter? filter)
    {
        if (filter is null)
        {
            return true;
        }

        if (amount is null || filter.Value.Min.Currency != amount.Currency || filter.Value.Max.Currency != amount.Currency)
        {
            return false;
        }

        var value = Amount(amount)!.Value;
        var inside = Amount(filter.Value.Min) <= value && value <= Amount(filter.Value.Max);
        return inside == (filter.Operator == "between");
    }

    private static decimal? Amount(CommonGrantsMoney? money) =>
        money is null ? null : decimal.Parse(money.Amount, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
