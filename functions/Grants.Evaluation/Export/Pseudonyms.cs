using System.Security.Cryptography;
using System.Text;

namespace Grants.Evaluation.Export;

/// <summary>
/// The ids evaluators see. A unit's id in an export is a keyed HMAC-SHA256 of its round and pool id
/// under a key kept apart from the data (Key Vault in Azure): the same unit has the same id in every
/// export of its round (waves can be joined), yet without the key nobody — not even someone holding
/// the database or the published lottery pool — can tell which application a row belongs to. Whoever
/// holds the key (the data steward) can re-identify, e.g. to link a register.
/// </summary>
public static class Pseudonyms
{
    /// <summary>Shortest key accepted: 256 bits.</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>"U-" and 20 hex digits (80 bits of the HMAC): no collision in any realistic round.</summary>
    public static string UnitId(ReadOnlySpan<byte> key, string roundId, string poolId)
    {
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"The pseudonym key must be at least {MinimumKeyBytes} bytes.", nameof(key));
        }

        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"unit|{roundId}|{poolId}"));
        return $"U-{Convert.ToHexStringLower(mac, 0, 10)}";
    }
}
