namespace Grants.Contracts.OpenData;

/// <summary>
/// The public subsidy register of a scheme for one year (docs/open-data.md): every organisation awarded a subsidy or
/// voucher whose award was decided in that year (Amsterdam time), what it was awarded and what has been paid to it so far,
/// and in which round; in the spirit of the lists of subsidy recipients Dutch ministries publish. Organisations only.
/// </summary>
public sealed record SubsidyRegisterResponse(string SchemeId, string SchemeName, int Year, IReadOnlyList<RegisterEntryResponse> Recipients, long AwardedCents, long PaidCents);

/// <param name="AwardDate">The Amsterdam date the award was decided, yyyy-MM-dd.</param>
/// <param name="PaidCents">Paid to the organisation so far, less anything recovered.</param>
public sealed record RegisterEntryResponse(string OrganisationName, string KvkNumber, string RoundId, string RoundName, string AwardDate, long AwardedCents, long PaidCents);
