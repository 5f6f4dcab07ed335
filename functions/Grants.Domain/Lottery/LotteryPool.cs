using System.Security.Cryptography;
using System.Text;

namespace Grants.Domain.Lottery;

/// <summary>
/// One eligible application in a frozen pool, with the baseline covariates the evaluation balances on.
/// <see cref="Id"/> is a pseudonym (published); <see cref="ApplicationId"/> links it back (kept by the ministry).
/// </summary>
/// <param name="CompletedAt">When the application was complete (<c>Application.CompletedAt</c>), which first come, first served orders by.</param>
/// <param name="Score">The committee's score as published (<see cref="Grants.Domain.Allocation.AllocationMethod.PublishedScore"/>), where the method ranks by it.</param>
public sealed record PoolEntry(
    string Id, string Stratum, long Amount, string Sector, string SizeClass, bool IsPublic, DateTimeOffset SubmittedAt, string? ApplicationId = null,
    DateTimeOffset? CompletedAt = null, decimal? Score = null)
{
    /// <summary>A fresh pseudonym: "P-" and ten random hex digits.</summary>
    public static string NewPseudonym() => $"P-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5))}";
}

/// <summary>
/// The pool's canonical form and hash exactly as docs/design.md §4 fixes them, so outsiders can
/// recompute the hash: a JSON array sorted by id (ordinal), each element exactly
/// <c>{"id":…,"stratum":…,"amount":…}</c> with amount in euro cents, no whitespace.
/// </summary>
public static class LotteryPool
{
    public static bool IsCanonicalToken(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    public static string CanonicalJson(IEnumerable<PoolEntry> entries)
    {
        var builder = new StringBuilder("[");
        var first = true;
        foreach (var entry in entries.OrderBy(e => e.Id, StringComparer.Ordinal))
        {
            if (!IsCanonicalToken(entry.Id) || !IsCanonicalToken(entry.Stratum))
            {
                throw new ArgumentException($"Pool ids and strata use only ASCII letters, digits, '-', '_' and '.': '{entry.Id}' / '{entry.Stratum}'.");
            }

            builder.Append(first ? "" : ",")
                .Append("{\"id\":\"").Append(entry.Id)
                .Append("\",\"stratum\":\"").Append(entry.Stratum)
                .Append("\",\"amount\":").Append(entry.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Append('}');
            first = false;
        }

        return builder.Append(']').ToString();
    }

    public static string Hash(string canonicalJson) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJson)));
}
