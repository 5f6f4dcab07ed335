namespace Grants.Contracts.Vouchers;

public sealed record SupplierReferenceDto(string Client, string Assignment, int Year);

/// <summary>A supplier registers itself (its KvK number is the token's organisation): knowledge-institution or consultancy.</summary>
public sealed record RegisterSupplierRequest(string Name, [property: ClosedSet("supplier-kind")] string Kind, IReadOnlyList<SupplierReferenceDto>? References = null) : IValidatable
{
    public static IReadOnlyList<string> Kinds { get; } = ["knowledge-institution", "consultancy"];

    public IEnumerable<(string Field, string Error)> Validate()
    {
        foreach (var problem in TextRules.SingleLine("name", Name, 200))
        {
            yield return problem;
        }

        if (!Kinds.Contains(Kind, StringComparer.Ordinal))
        {
            yield return ("kind", "must be knowledge-institution or consultancy");
        }

        foreach (var reference in References ?? [])
        {
            foreach (var problem in TextRules.SingleLine("references.client", reference.Client, 200).Concat(TextRules.SingleLine("references.assignment", reference.Assignment, 500)))
            {
                yield return problem;
            }
        }
    }
}

/// <param name="VerifiedAt">When ministry staff verified the registration; only verified suppliers may claim vouchers.</param>
public sealed record SupplierResponse(string Kvk, string Name, [property: ClosedSet("supplier-kind")] string Kind, int References, DateTimeOffset RegisteredAt, DateTimeOffset? VerifiedAt);

/// <summary>A supplier claims a voucher by its code, for work done for the holder, for at most its value.</summary>
public sealed record ClaimVoucherRequest(string Code, long AmountCents) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Code) || Code.Length > 40 || TextRules.HasControlCharacters(Code))
        {
            yield return ("code", "must be the voucher code");
        }
    }
}

public sealed record VoucherClaimResponse(string SupplierKvk, long AmountCents, DateTimeOffset ClaimedAt, bool InvoiceAttached);

/// <summary>A voucher without its code (only the holder's mail has that).</summary>
public sealed record VoucherResponse(
    string Id,
    string RoundId,
    string ApplicationId,
    string HolderKvk,
    long ValueCents,
    DateTimeOffset IssuedAt,
    DateTimeOffset ValidUntil,
    [property: ClosedSet("voucher-status")] string Status,
    VoucherClaimResponse? Claim,
    DateTimeOffset? ConfirmedAt,
    DateTimeOffset? PaidAt,
    long Version);
