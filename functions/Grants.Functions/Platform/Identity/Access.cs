namespace Grants.Functions.Platform.Identity;

/// <summary>Who may call an endpoint: anyone, or a caller holding at least one of the roles.</summary>
public sealed record Access(IReadOnlySet<string> Roles, bool AllowsAnonymous)
{
    public static Access Anonymous { get; } = new(new HashSet<string>(), true);

    public static Access For(params string[] roles) => new(new HashSet<string>(roles, StringComparer.Ordinal), false);

    public bool Admits(Caller caller) => AllowsAnonymous || caller.Roles.Overlaps(Roles);
}
