namespace Grants.Domain.Common;

/// <summary>
/// A command that breaks a business rule. <see cref="Errors"/> lists what is wrong per field; the message
/// (the problem response's detail) is one sentence a person reads on its own.
/// </summary>
public sealed class DomainRuleException(string message, IReadOnlyDictionary<string, string[]> errors) : Exception(message)
{
    /// <summary>Words an error about a field starts with when it continues a sentence whose subject is the field ("must be in the future").</summary>
    private static readonly string[] Predicates = ["must", "is", "are", "needs", "would", "does", "has", "cannot", "may"];

    public DomainRuleException(string field, string error)
        : this(Sentence(field, error), new Dictionary<string, string[]> { [field] = [error] })
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

    /// <summary>
    /// "deadline must be in the future." when the error goes on from the field; the error itself when it is a
    /// clause of its own, capitalised unless it starts with an id or a quoted value ("sheet-2 is not …").
    /// </summary>
    private static string Sentence(string field, string error)
    {
        var firstWord = error.Split(' ')[0];
        var text = Predicates.Contains(firstWord) ? $"{field} {error}"
            : firstWord.Length > 0 && firstWord.All(char.IsAsciiLetterLower) ? char.ToUpperInvariant(error[0]) + error[1..]
            : error.Length > 0 ? error : field;
        return text.EndsWith('.') ? text : text + ".";
    }
}
