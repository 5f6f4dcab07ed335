using System.Globalization;
using Grants.Contracts.OpenData;
using Grants.Domain.Common;
using Grants.Evaluation.Csv;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Rounds;
using Grants.Functions.Schemes;

namespace Grants.Functions.OpenData;

/// <summary>
/// A scheme's subsidy register for one year (docs/open-data.md): each published award (<see cref="PublishedAwards"/>)
/// decided in that Amsterdam calendar year, by organisation name, with its KvK number, round, amount awarded and paid.
/// </summary>
public sealed class SubsidyRegister(SchemeStore schemes, RoundStore rounds, PublishedAwards awards)
{
    public const int FirstYear = 2000;
    public const int LastYear = 2100;

    public async Task<Result<SubsidyRegisterResponse>> OfAsync(string schemeId, int year, CancellationToken cancellationToken)
    {
        if (year is < FirstYear or > LastYear)
        {
            return Failure.Invalid(new Dictionary<string, string[]> { ["year"] = [$"must be a year from {FirstYear} to {LastYear}"] }, "Ask for a register of a calendar year.");
        }

        if (await schemes.FindAsync(schemeId, cancellationToken) is not { } scheme)
        {
            return SchemeStore.NotFound(schemeId);
        }

        var entries = new List<RegisterEntryResponse>();
        foreach (var round in await rounds.OfSchemeAsync(schemeId, cancellationToken))
        {
            foreach (var award in await awards.OfRoundAsync(round.State, cancellationToken))
            {
                var decided = AmsterdamTime.ToLocal(award.State.Award!.DecidedAt!.Value);
                if (decided.Year == year)
                {
                    entries.Add(new RegisterEntryResponse(award.State.Applicant.LegalName, award.State.Applicant.Kvk, round.Id, round.State.Name,
                        decided.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), award.State.Award.AmountCents, award.PaidCents));
                }
            }
        }

        List<RegisterEntryResponse> ordered = [.. entries.OrderBy(e => e.OrganisationName, StringComparer.Ordinal).ThenBy(e => e.KvkNumber, StringComparer.Ordinal).ThenBy(e => e.RoundId, StringComparer.Ordinal)];
        return new SubsidyRegisterResponse(scheme.Id, scheme.State.Name, year, ordered, ordered.Sum(e => e.AwardedCents), ordered.Sum(e => e.PaidCents));
    }

    public static IReadOnlyList<string> Columns { get; } = ["organisation_name", "kvk_number", "round_id", "round_name", "award_date", "amount_awarded_eur", "amount_paid_eur"];

    /// <summary>One row per recipient and round, amounts in euros with a decimal point (RFC 4180, <see cref="CsvTable"/>).</summary>
    public static string Csv(SubsidyRegisterResponse register) =>
        CsvTable.Write(Columns, [.. register.Recipients.Select(e => (IReadOnlyList<string>)
            [e.OrganisationName, e.KvkNumber, e.RoundId, e.RoundName, e.AwardDate, Euros(e.AwardedCents), Euros(e.PaidCents)])]);

    private static string Euros(long cents) => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);
}
