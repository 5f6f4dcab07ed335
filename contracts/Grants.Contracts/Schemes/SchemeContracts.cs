namespace Grants.Contracts.Schemes;

/// <summary>Instrument names on the wire: <c>ProjectSubsidy</c> or <c>Voucher</c>.</summary>
public sealed record CreateSchemeRequest(string Name, [property: ClosedSet("instrument")] string Instrument, string? Description = null) : IValidatable
{
    public static IReadOnlyList<string> Instruments { get; } = ["ProjectSubsidy", "Voucher"];

    public IEnumerable<(string Field, string Error)> Validate()
    {
        foreach (var error in TextRules.SingleLine("name", Name, 200))
        {
            yield return error;
        }

        if (!Instruments.Contains(Instrument, StringComparer.Ordinal))
        {
            yield return ("instrument", $"must be one of: {string.Join(", ", Instruments)}");
        }

        if (Description is { Length: > 4000 })
        {
            yield return ("description", "must be at most 4000 characters");
        }
    }
}

public sealed record RenameSchemeRequest(string Name) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate() => TextRules.SingleLine("name", Name, 200);
}

public sealed record RetireSchemeRequest(string Reason) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate() => TextRules.SingleLine("reason", Reason, 1000);
}

public sealed record SchemeResponse(string Id, string Name, [property: ClosedSet("instrument")] string Instrument, string Description, [property: ClosedSet("scheme-status")] string Status, string? RetiredReason, long Version);
