using Grants.Contracts.Rounds;
using Grants.Domain.Lottery;

namespace Grants.Functions.Lottery;

/// <summary>How a frozen pool is shown through the API.</summary>
public static class PoolResponses
{
    public static PoolResponse From(FrozenPool pool) =>
        new(pool.RoundId, pool.FrozenAt, pool.PoolHash, pool.Canonical,
            [.. pool.Entries.Select(e => new PoolEntryResponse(e.Id, e.ApplicationId, e.Stratum, e.Amount, e.Sector, e.SizeClass, e.IsPublic, e.SubmittedAt))]);
}
