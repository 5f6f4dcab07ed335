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
