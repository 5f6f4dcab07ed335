namespace Grants.Contracts;

/// <summary>A request body that can say what is wrong with it, field by field.</summary>
public interface IValidatable
{
    IEnumerable<(string Field, string Error)> Validate();
}
