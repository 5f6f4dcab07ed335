using System.Globalization;
using Grants.Contracts.OpenData;
using Grants.Domain.Applications;
using Grants.Domain.Budget;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Lottery;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Rounds;
using Grants.Functions.Schemes;
using Microsoft.Extensions.Options;

namespace Grants.Functions.OpenData;

/// <summary>
/// A round's or a scheme's awards as a 360Giving data package (docs/open-data.md). Only what may be published: awards the
/// ministry decided and that stand (awarded or accepted, not declined or lapsed), the recipient organisation by its KvK
/// number and registered name, never a contact person; the project's title and summary; the amounts asked, awarded and
/// paid (the ledger's payments less recoveries, each payment a disbursement). The allocation extension adds how each award
/// was allocated and where the protocol that proves it is.
/// </summary>
public sealed class ThreeSixtyGivingPublisher(
    RoundStore rounds, SchemeStore schemes, PublishedAwards awards, ProtocolStore protocols, IOptions<OpenDataOptions> options, TimeProvider time)
{
    /// <summary>The major.minor version of the 360Giving Data Standard the package follows.</summary>
    public const string StandardVersion = "1.4";

    /// <summary>Where the allocation extension is served, relative to the API's address.</summary>
    public const string ExtensionPath = "/api/open-data/360giving/allocation-extension/extension.json";

    public async Task<Result<ThreeSixtyGivingPackage>> RoundAsync(string roundId, Uri api, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } round)
        {
            return RoundStore.NotFound(roundId);
        }

        var scheme = await schemes.FindAsync(round.State.SchemeId, cancellationToken);
        var grants = await GrantsOfAsync(round.State, scheme?.State.Name ?? round.State.SchemeId, api, cancellationToken);
        return grants.Count == 0
            ? Failure.NotFound($"Round {roundId} has no awards to publish yet: a 360Giving package holds at least one grant.")
            : Package(grants, $"{round.State.Name}: awards", $"The awards of round {round.State.Name} of {scheme?.State.Name ?? round.State.SchemeId}", roundId, api);
    }

    public async Task<Result<ThreeSixtyGivingPackage>> SchemeAsync(string schemeId, Uri api, CancellationToken cancellationToken)
    {
        if (await schemes.FindAsync(schemeId, cancellationToken) is not { } scheme)
        {
            return SchemeStore.NotFound(schemeId);
        }

        var grants = new List<ThreeSixtyGivingGrant>();
        foreach (var round in (await rounds.OfSchemeAsync(schemeId, cancellationToken)).OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            grants.AddRange(await GrantsOfAsync(round.State, scheme.State.Name, api, cancellationToken));
        }

        return grants.Count == 0
            ? Failure.NotFound($"Scheme {schemeId} has no awards to publish yet: a 360Giving package holds at least one grant.")
            : Package(grants, $"{scheme.State.Name}: awards", $"The awards of every round of {scheme.State.Name}", schemeId, api);
    }

    private ThreeSixtyGivingPackage Package(IReadOnlyList<ThreeSixtyGivingGrant> grants, string title, string description, string id, Uri api)
    {
        var o = options.Value;
        return new ThreeSixtyGivingPackage(grants, StandardVersion, [new Uri(api, ExtensionPath).AbsoluteUri], title,
            $"{description}, in the 360Giving Data Standard with the allocation extension: how each award was allocated, and the published protocol that proves it.",
            time.GetUtcNow(), $"{o.GrantIdPrefix}-{id}", new Contracts.OpenData.ThreeSixtyGivingPublisher(o.FunderOrgId, o.FunderName), o.License);
    }

    private async Task<IReadOnlyList<ThreeSixtyGivingGrant>> GrantsOfAsync(RoundData round, string programme, Uri api, CancellationToken cancellationToken)
    {
        var awarded = await awards.OfRoundAsync(round, cancellationToken);
        if (awarded.Count == 0)
        {
            return [];
        }

        var protocol = round.LotteryState.Draw is { } draw ? await protocols.ReadAsync(round.Id, draw.ProtocolHash, cancellationToken) : null;
        return [.. awarded.Select(a => Grant(round, programme, a, protocol, api))];
    }

    private ThreeSixtyGivingGrant Grant(RoundData round, string programme, PublishedAward award, LotteryProtocol? protocol, Uri api)
    {
        var (stored, application, o) = (award.Application, award.State, options.Value);
        var id = $"{o.GrantIdPrefix}-{application.Id}";
        var payments = award.Payments.Select(e => new ThreeSixtyGivingTransaction($"{id}-{e.EntryId}", Date(e.At), Euros(e.Kind == LedgerKinds.Recovery ? -e.Amount : e.Amount), "EUR",
                e.Kind == LedgerKinds.Recovery ? "recovery of an advance paid above the settled amount" : e.Reason ?? "payment"))
            .ToList();
        var content = application.Content;
        return new ThreeSixtyGivingGrant(
            id, content.Title, content.Summary, "EUR",
            Euros(content.RequestedAmountCents), Euros(application.Award!.AmountCents), payments.Sum(p => p.Value), Date(application.Award.DecidedAt!.Value),
            content.StartDate is null && content.DurationMonths is null ? null
                : [new ThreeSixtyGivingEvent(content.StartDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), content.DurationMonths)],
            [new ThreeSixtyGivingOrganization($"NL-KVK-{application.Applicant.Kvk}", application.Applicant.LegalName, application.Applicant.Kvk, "NL")],
            [new ThreeSixtyGivingFunder(o.FunderOrgId, o.FunderName)],
            [new ThreeSixtyGivingProgramme(round.SchemeId, programme)],
            "Yes", payments, stored.UpdatedAt, Allocation(round, application, protocol, api));
    }

    /// <summary>How the award was allocated, from its outcome and the round's current protocol; none for an application that was never in a draw.</summary>
    private static GrantAllocation? Allocation(RoundData round, ApplicationData application, LotteryProtocol? protocol, Uri api)
    {
        if (application is not { PoolId: { } poolId, Outcome: { } outcome } || protocol is null)
        {
            return null;
        }

        var chance = protocol.Probabilities.FirstOrDefault(p => p.Id == poolId)?.P ?? 0;
        var url = new Uri(api, $"/api/rounds/{Uri.EscapeDataString(round.Id)}/lottery/protocol?protocolHash={outcome.ProtocolHash}").AbsoluteUri;
        return new GrantAllocation(round.Configuration.Allocation.Method, poolId, outcome.Stratum, chance,
            outcome.TurnedDown || outcome.Granted is not null || outcome.Rank == 0 ? null : outcome.Rank, outcome.ProtocolHash, url);
    }

    private static decimal Euros(long cents) => cents / 100m;

    private static string Date(DateTimeOffset instant) => AmsterdamTime.ToLocal(instant).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
