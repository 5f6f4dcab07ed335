namespace Grants.Domain.Common;

/// <summary>
/// The one form a published hash takes (a protocol's, a plan's, what a cut-off document extends): the 32 bytes of a
/// SHA-256 as 64 lowercase hex digits. Checked exactly, so that a hash can name no other blob or document.
/// </summary>
public static class Sha256Hex
{
    public static bool Is(string value) => value.Length == 64 && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>The hash of exactly these bytes, in that form.</summary>
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}
