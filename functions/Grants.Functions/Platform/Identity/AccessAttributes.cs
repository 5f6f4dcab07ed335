namespace Grants.Functions.Platform.Identity;

/// <summary>Only callers holding one of these roles may call the function. Read by the gate and the OpenAPI document.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class RolesAllowedAttribute(params string[] roles) : Attribute
{
    public IReadOnlyList<string> Roles { get; } = roles;
}

/// <summary>Anyone may call the function, without a token.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class AnonymousAllowedAttribute : Attribute;
