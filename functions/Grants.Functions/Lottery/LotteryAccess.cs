using Grants.Domain.Rounds;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Identity;

namespace Grants.Functions.Lottery;

/// <summary>Who may see a round's lottery documents, and for which party a caller commits and reveals a seed.</summary>
public static class LotteryAccess
{
    /// <summary>While the balance check holds a draw, only ministry staff and auditors see it (or anything else of the round's lottery documents).</summary>
    public static bool HiddenFrom(Caller caller, DrawRecord draw) => draw.PublishedAt is null && !caller.HasRole(Roles.Ministry) && !caller.HasRole(Roles.Auditor);

    public static Failure NotPublishedYet(string roundId) =>
        Failure.NotFound($"The draw of round {roundId} is not published yet: the balance check asked ministry staff to confirm it.");

    public static Failure NoProtocol(string roundId) => Failure.NotFound($"Round {roundId} has no lottery protocol.");

    /// <summary>The party a caller's seed belongs to: a notary's own, otherwise the ministry's.</summary>
    public static string PartyOf(Caller caller) => caller.HasRole(Roles.Notary) && !caller.HasRole(Roles.Ministry) ? "notary" : Round.MinistryParty;
}
