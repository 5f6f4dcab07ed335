using System.Text.Json.Serialization;

namespace Grants.Contracts.OpenData;

/// <summary>
/// A 360Giving data package (Data Standard 1.4.3, docs/open-data.md): a round's or a scheme's awards, as a funder publishes
/// them. Property names are the standard's own (its spelling included). Amounts are euros; dates are Amsterdam calendar dates.
/// </summary>
/// <param name="Extensions">The extensions the grants use: the allocation extension's <c>extension.json</c>.</param>
/// <param name="License">The licence the data is published under (CC0 unless configured otherwise).</param>
public sealed record ThreeSixtyGivingPackage(
    IReadOnlyList<ThreeSixtyGivingGrant> Grants,
    string Version,
    IReadOnlyList<string> Extensions,
    string Title,
    string Description,
    DateTimeOffset Issued,
    string Identifier,
    ThreeSixtyGivingPublisher Publisher,
    string License);

public sealed record ThreeSixtyGivingPublisher(string Identifier, string Name);

/// <summary>
/// One award as 360Giving publishes a grant: its id (<c>360G-{prefix}-{application id}</c>), the project's title and
/// summary, what was asked, awarded and paid, when it was awarded, its planned start and duration, the recipient (an
/// organisation: <c>NL-KVK-{number}</c>, never a person), the funder, the programme, and the payments as disbursements.
/// <see cref="Allocation"/> is the allocation extension: how the award was allocated, and the proof.
/// </summary>
public sealed record ThreeSixtyGivingGrant(
    string Id,
    string Title,
    string Description,
    string Currency,
    decimal AmountAppliedFor,
    decimal AmountAwarded,
    decimal AmountDisbursed,
    string AwardDate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ThreeSixtyGivingEvent>? PlannedDates,
    IReadOnlyList<ThreeSixtyGivingOrganization> RecipientOrganization,
    IReadOnlyList<ThreeSixtyGivingFunder> FundingOrganization,
    IReadOnlyList<ThreeSixtyGivingProgramme> GrantProgramme,
    string FromOpenCall,
    IReadOnlyList<ThreeSixtyGivingTransaction> DisbursementTransaction,
    DateTimeOffset DateModified,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] GrantAllocation? Allocation);

/// <summary>The recipient: its org-id (<c>NL-KVK-{number}</c>), registered name, KvK number and country.</summary>
public sealed record ThreeSixtyGivingOrganization(string Id, string Name, string CompanyNumber, string AddressCountry);

/// <summary>The funder: its org-id and name, as configured.</summary>
public sealed record ThreeSixtyGivingFunder(string Id, string Name);

/// <summary>The project's planned start (a date) and duration (months).</summary>
public sealed record ThreeSixtyGivingEvent(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? StartDate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Duration);

/// <summary>The programme: the scheme, by its id and name.</summary>
public sealed record ThreeSixtyGivingProgramme(string Code, string Title);

/// <summary>A payment to the recipient (negative: an advance recovered at settlement), from the round's budget ledger.</summary>
public sealed record ThreeSixtyGivingTransaction(string Id, string TransactionDate, decimal Value, string Currency, string Description);

/// <summary>
/// The allocation extension (contracts/360giving/allocation-extension, a proposal): how the award was allocated and how a
/// reader checks it — the method, the pool pseudonym and stratum under which the published protocol lists it, its chance
/// of being funded at first (1, 0 or computed), its rank in the order (none under pro rata), and the protocol that selected
/// it (hash and address).
/// </summary>
public sealed record GrantAllocation(
    string Method,
    string PoolId,
    string Stratum,
    double Chance,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Rank,
    string ProtocolHash,
    string ProtocolUrl);
