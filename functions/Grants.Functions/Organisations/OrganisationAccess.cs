using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Identity;

namespace Grants.Functions.Organisations;

/// <summary>Who may see an organisation: applicants and suppliers only the one their token acts for; the ministry all.</summary>
public static class OrganisationAccess
{
    public static bool MaySee(Caller caller, string kvk) => caller.HasRole(Roles.Ministry) || caller.Organisation == kvk;

    /// <summary>The same answer for an organisation that does not exist and one the caller may not see, so that neither is revealed.</summary>
    public static Failure NotVisible(string kvk) => Failure.NotFound($"There is no organisation {kvk} that you may see.");
}
