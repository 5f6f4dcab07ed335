namespace Grants.Contracts;

/// <summary>
/// The value (or each value of a list) is a code from a closed set, named here: the OpenAPI document lists the
/// set as an <c>enum</c> with its meaning, from the same list the API checks values against.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ClosedSetAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
