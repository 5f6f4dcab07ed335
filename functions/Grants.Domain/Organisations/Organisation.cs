using Grants.Domain.Common;

namespace Grants.Domain.Organisations;

/// <summary>A person who acts for the organisation and receives its mail.</summary>
public sealed record Representative(string Subject, string Name, string Email);

/// <summary>An applicant organisation, registered by its Chamber of Commerce (KvK) number.</summary>
public sealed record OrganisationData(
    string Kvk,
    string LegalName,
    string Sector,
    string SizeClass,
    bool IsPublic,
    string PreferredLanguage,
    IReadOnlyList<Representative> Representatives,
    DateTimeOffset RegisteredAt)
{
    /// <summary>Where mail for the organisation goes: its first representative.</summary>
    public string ContactEmail => Representatives[0].Email;
}

public static class Organisation
{
    /// <summary>KvK numbers are eight digits.</summary>
    public static bool IsValidKvk(string? kvk) => kvk is { Length: 8 } && kvk.All(char.IsAsciiDigit) && kvk != "00000000";

    public static OrganisationData Register(string kvk, string legalName, string sector, string sizeClass, bool isPublic, string language, Representative first, DateTimeOffset now)
    {
        DomainRuleException.ThrowIfAny("The organisation is not valid.", Problems(kvk, sector, sizeClass, language));
        return new OrganisationData(kvk, legalName.Trim(), sector, sizeClass, isPublic, language, [first with { Name = first.Name.Trim(), Email = first.Email.Trim() }], now);
    }

    private static IEnumerable<(string, string)> Problems(string kvk, string sector, string sizeClass, string language)
    {
        if (!IsValidKvk(kvk))
        {
            yield return ("kvk", "must be an eight-digit KvK number");
        }

        if (!Sectors.IsKnown(sector))
        {
            yield return ("sector", $"must be one of: {string.Join(", ", Sectors.All)}");
        }

        if (!SizeClasses.IsKnown(sizeClass))
        {
            yield return ("sizeClass", $"must be one of: {string.Join(", ", SizeClasses.All)}");
        }

        if (!Languages.All.Contains(language))
        {
            yield return ("preferredLanguage", "must be nl or en");
        }
    }
}
