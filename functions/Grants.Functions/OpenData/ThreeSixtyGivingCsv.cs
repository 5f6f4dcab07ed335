using System.Globalization;
using Grants.Contracts.OpenData;
using Grants.Evaluation.Csv;

namespace Grants.Functions.OpenData;

/// <summary>
/// The flat form 360Giving publishers use in a spreadsheet: one row per grant, each column titled as the standard titles the
/// field (a rolled-up field as "Recipient Org:Identifier"), the allocation extension's columns last. Transactions do not
/// roll up into a grant's row; its amount disbursed is their sum.
/// </summary>
public static class ThreeSixtyGivingCsv
{
    public static IReadOnlyList<string> Columns { get; } =
    [
        "Identifier", "Title", "Description", "Currency", "Amount Applied For", "Amount Awarded", "Amount Disbursed", "Award Date",
        "Planned Dates:Start Date", "Planned Dates:Duration (months)",
        "Recipient Org:Identifier", "Recipient Org:Name", "Recipient Org:Company Number", "Recipient Org:Country",
        "Funding Org:Identifier", "Funding Org:Name", "Grant Programme:Code", "Grant Programme:Title", "From An Open Call?", "Last Modified",
        "Allocation:Allocation method", "Allocation:Pool identifier", "Allocation:Stratum", "Allocation:Chance", "Allocation:Rank", "Allocation:Protocol hash", "Allocation:Protocol URL",
    ];

    public static string Write(ThreeSixtyGivingPackage package) =>
        CsvTable.Write(Columns, [.. package.Grants.Select(Row)]);

    private static string[] Row(ThreeSixtyGivingGrant g)
    {
        var (recipient, funder, programme, planned, allocation) = (g.RecipientOrganization[0], g.FundingOrganization[0], g.GrantProgramme[0], g.PlannedDates?.FirstOrDefault(), g.Allocation);
        return
        [
            g.Id, g.Title, g.Description, g.Currency, Amount(g.AmountAppliedFor), Amount(g.AmountAwarded), Amount(g.AmountDisbursed), g.AwardDate,
            planned?.StartDate ?? "", planned?.Duration?.ToString(CultureInfo.InvariantCulture) ?? "",
            recipient.Id, recipient.Name, recipient.CompanyNumber, recipient.AddressCountry,
            funder.Id, funder.Name, programme.Code, programme.Title, g.FromOpenCall, g.DateModified.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
            allocation?.Method ?? "", allocation?.PoolId ?? "", allocation?.Stratum ?? "", allocation?.Chance.ToString("R", CultureInfo.InvariantCulture) ?? "",
            allocation?.Rank?.ToString(CultureInfo.InvariantCulture) ?? "", allocation?.ProtocolHash ?? "", allocation?.ProtocolUrl ?? "",
        ];
    }

    /// <summary>Euros as 360Giving asks for numbers: a plain decimal point, no thousands separator, no currency sign.</summary>
    private static string Amount(decimal euros) => euros.ToString("0.##", CultureInfo.InvariantCulture);
}
