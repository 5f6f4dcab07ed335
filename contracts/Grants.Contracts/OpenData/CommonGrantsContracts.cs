using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Grants.Contracts.OpenData;

/// <summary>
/// A page of opportunities as the CommonGrants protocol 0.4.0 lists them (<c>GET /common-grants/opportunities</c>,
/// docs/open-data.md): the protocol's success envelope (<see cref="Status"/>, <see cref="Message"/>), the page's items, newest
/// change first, and where the page stands. Property names are the protocol's own.
/// </summary>
public sealed record OpportunityPageResponse(int Status, string Message, IReadOnlyList<CommonGrantsOpportunity> Items, CommonGrantsPagination PaginationInfo);

/// <summary>One opportunity in the protocol's success envelope (<c>GET /common-grants/opportunities/{oppId}</c>).</summary>
public sealed record OpportunityResponse(int Status, string Message, CommonGrantsOpportunity Data);

/// <summary>The protocol's pagination: the page (from 1), its size, and the totals.</summary>
public sealed record CommonGrantsPagination(int Page, int PageSize, int TotalItems, int TotalPages);

/// <summary>
/// An open or forthcoming round as a CommonGrants opportunity (<c>OpportunityBase</c>). The id is a UUID this API derives
/// from the round's id (docs/open-data.md); <see cref="CreatedAt"/> is when the round was opened (published), since a draft
/// is no opportunity; <see cref="LastModifiedAt"/> the round's last change. <see cref="CustomFields"/> carries what the
/// protocol has no field for: the register applicants are identified in (the KvK), the funder, where to apply, and how the
/// round is allocated with the addresses that let anyone check the draw.
/// </summary>
public sealed record CommonGrantsOpportunity(
    string Id,
    string Title,
    CommonGrantsOption Status,
    string Description,
    CommonGrantsFunding Funding,
    CommonGrantsTimeline KeyDates,
    IReadOnlyList<CommonGrantsOption> AcceptedApplicantTypes,
    string Source,
    IReadOnlyDictionary<string, CommonGrantsCustomField> CustomFields,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastModifiedAt);

/// <summary>A value from the protocol's closed set of options (status, applicant type), with what it means here.</summary>
public sealed record CommonGrantsOption(
    string Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CustomValue,
    string Description);

/// <summary>
/// What the round funds: its budget ceiling, the least and most one award can be (a voucher's value; pro rata's minimum
/// grant; the maximum per application), how many awards it can make where that is fixed (vouchers), and in words how the
/// budget is shared out.
/// </summary>
public sealed record CommonGrantsFunding(
    string Details,
    CommonGrantsMoney TotalAmountAvailable,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CommonGrantsMoney? MinAwardAmount,
    CommonGrantsMoney MaxAwardAmount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxAwardCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? EstimatedAwardCount);

/// <summary>An amount as the protocol writes money: a decimal string (two decimals) and its ISO 4217 currency.</summary>
public sealed record CommonGrantsMoney(string Amount, string Currency);

/// <summary>The round's key dates: when it was published, when it closes, and the application period.</summary>
public sealed record CommonGrantsTimeline(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CommonGrantsEvent? PostDate,
    CommonGrantsEvent CloseDate,
    IReadOnlyDictionary<string, CommonGrantsEvent> OtherDates);

/// <summary>
/// An event of the protocol's timeline: a single date (<see cref="Date"/>, <see cref="Time"/>) or a date range
/// (<see cref="StartDate"/> … <see cref="EndTime"/>), named by <see cref="EventType"/>. Dates and times are Amsterdam's, as
/// the description says: the protocol's times carry no zone.
/// </summary>
public sealed record CommonGrantsEvent(
    string Name,
    string EventType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Date,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Time,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? StartDate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? StartTime,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EndDate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EndTime,
    string Description);

/// <summary>
/// A custom field, as the protocol carries anything it has no field for: its name, the JSON type of its value, the value,
/// and what it means.
/// </summary>
public sealed record CommonGrantsCustomField(string Name, string FieldType, JsonNode Value, string Description);

/// <summary>
/// An error as the CommonGrants protocol answers one (<c>CommonGrants.Responses.Error</c>): the status, a sentence, and the
/// errors — each with its field where a value was refused, and the stable problem type this API gives the same error elsewhere.
/// </summary>
public sealed record CommonGrantsError(int Status, string Message, IReadOnlyList<CommonGrantsErrorItem> Errors, string TraceId);

/// <param name="Type">The problem type (<c>urn:grants:problem:…</c>), stable per kind of error.</param>
/// <param name="Field">The query parameter or field refused, for a refused value.</param>
public sealed record CommonGrantsErrorItem(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field,
    string Message);

/// <summary>
/// A search of the opportunities as CommonGrants 0.4.0 asks for one (<c>POST /common-grants/opportunities/search</c>): words to
/// find in the title or description, filters (all must hold), the order, and the page. Read strictly, as every request body.
/// </summary>
public sealed record OpportunitySearchRequest(
    string? Search = null,
    OpportunityFilters? Filters = null,
    OpportunitySorting? Sorting = null,
    CommonGrantsPageRequest? Pagination = null) : IValidatable
{
    public static IReadOnlyList<string> Statuses { get; } = ["forecasted", "open", "closed", "custom"];

    public static IReadOnlyList<string> SortKeys { get; } =
    [
        "lastModifiedAt", "createdAt", "title", "status.value", "keyDates.closeDate",
        "funding.maxAwardAmount", "funding.minAwardAmount", "funding.totalAmountAvailable", "funding.estimatedAwardCount",
    ];

    public const int MaxSearchLength = 200;

    public IEnumerable<(string Field, string Error)> Validate()
    {
        if (Search is { Length: > MaxSearchLength })
        {
            yield return ("search", $"must be at most {MaxSearchLength} characters");
        }

        foreach (var problem in Filters?.Validate() ?? [])
        {
            yield return ($"filters.{problem.Field}", problem.Error);
        }

        if (Sorting is { } sorting)
        {
            if (!SortKeys.Contains(sorting.SortBy, StringComparer.Ordinal))
            {
                yield return ("sorting.sortBy", $"must be one of {string.Join(", ", SortKeys)} (no implementation-defined key is offered)");
            }

            if (sorting.CustomSortBy is not null)
            {
                yield return ("sorting.customSortBy", "no implementation-defined sort key is offered");
            }

            if (sorting.SortOrder is not (null or "asc" or "desc"))
            {
                yield return ("sorting.sortOrder", "must be asc or desc");
            }
        }

        if (Pagination is { Page: < 1 })
        {
            yield return ("pagination.page", "must be at least 1");
        }

        if (Pagination is { PageSize: < 1 })
        {
            yield return ("pagination.pageSize", "must be at least 1");
        }
    }
}

/// <summary>
/// The protocol's opportunity filters: status among or not among values, and the close date and amounts within or outside a
/// range. An amount in another currency than the opportunity's is excluded, as the protocol says. Implementation-defined
/// filters are not offered: one given is named in the answer's <c>filterInfo.errors</c> and not applied.
/// </summary>
public sealed record OpportunityFilters(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CommonGrantsStringArrayFilter? Status = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CommonGrantsDateRangeFilter? CloseDateRange = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CommonGrantsMoneyRangeFilter? TotalFundingAvailableRange = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CommonGrantsMoneyRangeFilter? MinAwardAmountRange = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CommonGrantsMoneyRangeFilter? MaxAwardAmountRange = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, JsonNode>? CustomFilters = null)
{
    public IEnumerable<(string Field, string Error)> Validate()
    {
        if (Status is { } status)
        {
            if (status.Operator is not ("in" or "notIn"))
            {
                yield return ("status.operator", "must be in or notIn");
            }

            foreach (var value in status.Value.Where(v => !OpportunitySearchRequest.Statuses.Contains(v, StringComparer.Ordinal)))
            {
                yield return ("status.value", $"'{value}' is not a status: forecasted, open, closed or custom");
            }
        }

        if (CloseDateRange is { } dates)
        {
            if (dates.Operator is not ("between" or "outside"))
            {
                yield return ("closeDateRange.operator", "must be between or outside");
            }

            if (!CommonGrantsDateRangeFilter.IsDate(dates.Value.Min) || !CommonGrantsDateRangeFilter.IsDate(dates.Value.Max))
            {
                yield return ("closeDateRange.value", "min and max must be dates (yyyy-MM-dd) or date-times with their offset, from the year 2000 to 2100");
            }
        }

        foreach (var (name, range) in new[] { ("totalFundingAvailableRange", TotalFundingAvailableRange), ("minAwardAmountRange", MinAwardAmountRange), ("maxAwardAmountRange", MaxAwardAmountRange) })
        {
            if (range is null)
            {
                continue;
            }

            if (range.Operator is not ("between" or "outside"))
            {
                yield return ($"{name}.operator", "must be between or outside");
            }

            if (!CommonGrantsMoneyRangeFilter.IsAmount(range.Value.Min) || !CommonGrantsMoneyRangeFilter.IsAmount(range.Value.Max))
            {
                yield return ($"{name}.value", "min and max must be amounts: a decimal string and a three-letter currency");
            }
        }
    }
}

public sealed record CommonGrantsStringArrayFilter(string Operator, IReadOnlyList<string> Value);

public sealed record CommonGrantsDateRangeFilter(string Operator, CommonGrantsDateRange Value)
{
    /// <summary>
    /// A date (yyyy-MM-dd) or an RFC 3339 date-time, which carries its offset (<c>Z</c> or <c>+01:00</c>): a moment without
    /// one would depend on the server's zone.
    /// </summary>
    /// <remarks>Years 2000 to 2100 only: rounds close within them, and older Amsterdam dates had offsets of their own.</remarks>
    public static bool IsDate(string value) =>
        (DateOnly.TryParseExact(value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date) && date.Year is >= 2000 and <= 2100)
        || (System.Text.RegularExpressions.Regex.IsMatch(value, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,7})?(Z|[+-][0-9]{2}:[0-9]{2})$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)
            && DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var moment) && moment.Year is >= 2000 and <= 2100);
}

public sealed record CommonGrantsDateRange(string Min, string Max);

public sealed record CommonGrantsMoneyRangeFilter(string Operator, CommonGrantsMoneyRange Value)
{
    /// <summary>The protocol's decimal string (<c>-?[0-9]+.?[0-9]*</c>) and an ISO 4217 code.</summary>
    public static bool IsAmount(CommonGrantsMoney money) =>
        System.Text.RegularExpressions.Regex.IsMatch(money.Amount, "^-?[0-9]{1,15}(\\.[0-9]{0,6})?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)
        && System.Text.RegularExpressions.Regex.IsMatch(money.Currency, "^[A-Z]{3}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}

public sealed record CommonGrantsMoneyRange(CommonGrantsMoney Min, CommonGrantsMoney Max);

/// <summary>The order: a key the protocol names, ascending or descending (ascending unless given).</summary>
public sealed record OpportunitySorting(
    string SortBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CustomSortBy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SortOrder = null);

public sealed record CommonGrantsPageRequest(int? Page = null, int? PageSize = null);

/// <summary>A page of the opportunities a search found, with the order and the filters as applied, in the protocol's envelope.</summary>
public sealed record OpportunitySearchResponse(
    int Status,
    string Message,
    IReadOnlyList<CommonGrantsOpportunity> Items,
    CommonGrantsPagination PaginationInfo,
    CommonGrantsSortInfo SortInfo,
    CommonGrantsFilterInfo FilterInfo);

public sealed record CommonGrantsSortInfo(string SortBy, string SortOrder);

/// <param name="Errors">What was asked for and not applied (an implementation-defined filter), each in a sentence.</param>
public sealed record CommonGrantsFilterInfo(OpportunityFilters Filters, IReadOnlyList<string> Errors);
