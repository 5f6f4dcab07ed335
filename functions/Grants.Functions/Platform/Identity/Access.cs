using System.Reflection;

namespace Grants.Functions.Platform.Identity;

/// <summary>Who may call an endpoint: anyone, or a caller holding at least one of the roles.</summary>
public sealed record Access(IReadOnlySet<string> Roles, bool AllowsAnonymous)
{
    public static Access Anonymous { get; } = new(new HashSet<string>(), true);

    public static Access For(params string[] roles) => new(new HashSet<string>(roles, StringComparer.Ordinal), false);

    /// <summary>The access a function class declares with <see cref="RolesAllowedAttribute"/> or <see cref="AnonymousAllowedAttribute"/>.</summary>
    public static Access Of(Type function) =>
        function.GetCustomAttribute<AnonymousAllowedAttribute>() is not null ? Anonymous
        : function.GetCustomAttribute<RolesAllowedAttribute>() is { } allowed ? For([.. allowed.Roles])
        : throw new InvalidOperationException($"{function.Name} declares neither [RolesAllowed] nor [AnonymousAllowed].");

    public bool Admits(Caller caller) => AllowsAnonymous || caller.Roles.Overlaps(Roles);
}

/// <summary>The caller is known but may not do this particular thing (for example: advise without being the chair).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>Access per function class, read once.</summary>
public static class Access<TFunction>
{
    public static Access Declared { get; } = Access.Of(typeof(TFunction));
}
