namespace Grants.Contracts.Organisations;

/// <summary>Registers the organisation the caller's token acts for (its KvK number must match the token).</summary>
public sealed record RegisterOrganisationRequest(
    string Kvk,
    string LegalName,
    [property: ClosedSet("sector")] string Sector,
    [property: ClosedSet("size-class")] string SizeClass,
    bool IsPublic,
    [property: ClosedSet("language")] string PreferredLanguage,
    string ContactName,
    string ContactEmail) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate()
    {
        foreach (var error in TextRules.SingleLine("legalName", LegalName, 200)
            .Concat(TextRules.SingleLine("contactName", ContactName, 200))
            .Concat(TextRules.SingleLine("contactEmail", ContactEmail, 254)))
        {
            yield return error;
        }

        if (!TextRules.IsEmailAddress(ContactEmail))
        {
            yield return ("contactEmail", "must be an email address");
        }
    }
}

public sealed record RepresentativeResponse(string Name, string Email);

public sealed record OrganisationResponse(
    string Kvk,
    string LegalName,
    [property: ClosedSet("sector")] string Sector,
    [property: ClosedSet("size-class")] string SizeClass,
    bool IsPublic,
    [property: ClosedSet("language")] string PreferredLanguage,
    IReadOnlyList<RepresentativeResponse> Representatives,
    DateTimeOffset RegisteredAt);
