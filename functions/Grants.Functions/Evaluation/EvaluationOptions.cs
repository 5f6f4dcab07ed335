using Grants.Evaluation.Export;

namespace Grants.Functions.Evaluation;

public sealed class EvaluationOptions
{
    public const string SectionName = "Evaluation";

    /// <summary>
    /// Base64 of at least 32 random bytes: the key of the export pseudonyms (<see cref="Pseudonyms"/>).
    /// In Azure a Key Vault reference, set once and never changed (a new key gives every unit a new id);
    /// the local host makes one per run when it is not set.
    /// </summary>
    public string? PseudonymKey { get; set; }

    public bool HasValidKey => TryKey(out _);

    public byte[] Key() => TryKey(out var key) ? key
        : throw new InvalidOperationException($"{SectionName}:{nameof(PseudonymKey)} must be base64 of at least {Pseudonyms.MinimumKeyBytes} bytes.");

    private bool TryKey(out byte[] key)
    {
        key = [];
        if (string.IsNullOrWhiteSpace(PseudonymKey))
        {
            return false;
        }

        try
        {
            key = Convert.FromBase64String(PseudonymKey);
        }
        catch (FormatException)
        {
            return false;
        }

        return key.Length >= Pseudonyms.MinimumKeyBytes;
    }
}
