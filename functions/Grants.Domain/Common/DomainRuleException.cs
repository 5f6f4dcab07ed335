namespace Grants.Domain.Common;

/// <summary>A command that breaks a business rule; carries one message per offending field.</summary>
public sealed class DomainRuleException(string message, IReadOnlyDictionary<string, string[]> errors) : Exception(message)
{
    public DomainRuleException(string field, string error)
        : this(error, new Dictionary<string, string[]> { [field] = [error] })
    {
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static void ThrowIfAny(string message, IEnumerable<(string Field, string Error)> errors)
    {
        var grouped = errors.GroupBy(e => e.Field, e => e.Error).ToDictionary(g => g.Key, g => g.ToArray());
        if (grouped.Count > 0)
        {
            throw new DomainRuleException(message, grouped);
        }
    }
}
