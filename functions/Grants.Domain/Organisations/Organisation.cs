using Grants.Domain.Applications;
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
    DateTimeOffset RegisteredAt,
    DateTimeOffset? PersonalDataErasedAt = null)
{
    /// <summary>Where mail for the organisation goes: its first representative (none once retention erased them).</summary>
    public string ContactEmail => Representatives.Count > 0 ? Representatives[0].Email : string.Empty;
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

    /// <summary>
    /// Past retention, once every file of the organisation is erased: its contact people go (name,
    /// email, login). The KvK number that keeps one application per organisation per round, and the
    /// registered name, sector and size that the evaluation's baseline uses, stay.
    /// </summary>
    public static OrganisationData ErasePersonalData(OrganisationData organisation, DateTimeOffset now) =>
        organisation.PersonalDataErasedAt is not null
            ? throw new InvalidTransitionException("organisation", "already erased", "erase personal data of")
            : organisation with { Representatives = [], PersonalDataErasedAt = now };

    /// <summary>
    /// The organisation as an application records it when started. One whose contact people were erased after years
    /// without activity applies again only once registered again (<see cref="RegisterAgain"/>): nobody would receive its mail.
    /// </summary>
    public static ApplicantSnapshot Applicant(OrganisationData organisation) =>
        organisation.PersonalDataErasedAt is not null
            ? throw new OrganisationNotRegisteredException($"The contact details of organisation {organisation.Kvk} were erased after years without activity; register it again before applying.")
            : new ApplicantSnapshot(organisation.Kvk, organisation.LegalName, organisation.Sector, organisation.SizeClass, organisation.IsPublic, organisation.PreferredLanguage, organisation.ContactEmail);

    /// <summary>An organisation whose contact people were erased registers again to apply again: the new registration takes the record's place.</summary>
    public static OrganisationData RegisterAgain(OrganisationData erased, OrganisationData registration) =>
        erased.PersonalDataErasedAt is null || erased.Kvk != registration.Kvk
            ? throw new InvalidTransitionException("organisation", "already registered", "register")
            : registration;

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
