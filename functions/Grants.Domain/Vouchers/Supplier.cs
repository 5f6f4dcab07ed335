using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Domain.Rounds;

namespace Grants.Domain.Vouchers;

/// <summary>Who may redeem vouchers: knowledge institutions (universities, research institutes) and consultancies.</summary>
public enum SupplierKind
{
    KnowledgeInstitution,
    Consultancy,
}

/// <summary>A reference: an earlier comparable assignment, which the voucher rules count for consultancies.</summary>
public sealed record SupplierReference(string Client, string Assignment, int Year);

/// <summary>A supplier in the registry, identified by its KvK number.</summary>
/// <param name="PersonalDataErasedAt">When retention erased the text of its references (clients and assignments).</param>
public sealed record SupplierData(string Kvk, string Name, SupplierKind Kind, IReadOnlyList<SupplierReference> References, DateTimeOffset RegisteredAt, DateTimeOffset? VerifiedAt = null, string? VerifiedBy = null,
    DateTimeOffset? PersonalDataErasedAt = null);

public static class Suppliers
{
    public static SupplierData Register(string kvk, string name, SupplierKind kind, IReadOnlyList<SupplierReference> references, DateTimeOffset now)
    {
        var problems = new List<(string, string)>();
        if (kvk.Length != 8 || !kvk.All(char.IsAsciiDigit))
        {
            problems.Add(("kvk", "must be an eight-digit KvK number"));
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add(("name", "is required"));
        }

        if (references.Count > 20 || references.Any(r => string.IsNullOrWhiteSpace(r.Client) || string.IsNullOrWhiteSpace(r.Assignment) || r.Year is < 1990 or > 2100))
        {
            problems.Add(("references", "at most 20, each with a client, an assignment and a year"));
        }

        DomainRuleException.ThrowIfAny("The supplier registration is not valid.", problems);
        return new SupplierData(kvk, name.Trim(), kind, references, now);
    }

    public static SupplierData Verify(SupplierData supplier, string by, DateTimeOffset now) =>
        supplier.VerifiedAt is not null ? throw new InvalidTransitionException("supplier", "already verified", "verify") : supplier with { VerifiedAt = now, VerifiedBy = by };

    /// <summary>
    /// Retention: the references' clients and assignments (which may name a sole trader or the people
    /// an assignment was for) are erased; how many references there were and their years stay, as the
    /// evidence the supplier's verification rested on, and so do the supplier's KvK number, name and kind.
    /// </summary>
    public static SupplierData ErasePersonalData(SupplierData supplier, DateTimeOffset now) =>
        supplier.PersonalDataErasedAt is not null
            ? throw new InvalidTransitionException("supplier", "already erased", "erase personal data of")
            : supplier with { References = [.. supplier.References.Select(r => r with { Client = Application.Erased, Assignment = Application.Erased })], PersonalDataErasedAt = now };

    /// <summary>Why this supplier may not redeem vouchers of a round with these rules; null when it may.</summary>
    public static string? Ineligibility(SupplierData supplier, VoucherRules rules) => supplier.Kind switch
    {
        SupplierKind.KnowledgeInstitution => null,
        SupplierKind.Consultancy when !rules.ConsultanciesAllowed => "this round's vouchers are for knowledge institutions only",
        SupplierKind.Consultancy when supplier.References.Count < rules.MinimumConsultancyReferences =>
            $"a consultancy needs at least {English.Count(rules.MinimumConsultancyReferences, "reference")} for this round (it has {supplier.References.Count})",
        _ => null,
    };
}
