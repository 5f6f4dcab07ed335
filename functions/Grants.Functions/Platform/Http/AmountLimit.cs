using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Grants.Domain.Common;

namespace Grants.Functions.Platform.Http;

/// <summary>
/// One rule for every amount a request carries: a field named <c>…Cents</c> holds at most <see cref="Money.MaxCents"/>,
/// wherever it sits in the body, so that no figure the ledger adds up can overflow. The OpenAPI document states the
/// same maximum on the same fields (<see cref="OpenApi.OpenApiDocument"/>).
/// </summary>
public static class AmountLimit
{
    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, string Name)[]> Walked = new();

    /// <summary>Whether a property is an amount the rule covers: a whole number of cents.</summary>
    public static bool Covers(PropertyInfo property) =>
        property.Name.EndsWith("Cents", StringComparison.Ordinal) && (Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) == typeof(long);

    /// <summary>The fields of <paramref name="body"/> above the limit, by their JSON path.</summary>
    public static IEnumerable<(string Field, string Error)> Check(object body) => Check(body, "");

    private static IEnumerable<(string Field, string Error)> Check(object? value, string path)
    {
        switch (value)
        {
            case null or string or IDictionary:
                yield break;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items)
                {
                    foreach (var error in Check(item, $"{path}[{index++}]"))
                    {
                        yield return error;
                    }
                }

                yield break;
        }

        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true)
        {
            yield break;
        }

        foreach (var (property, name) in Walked.GetOrAdd(type, Properties))
        {
            var field = path.Length == 0 ? name : $"{path}.{name}";
            var found = property.GetValue(value);
            if (Covers(property))
            {
                if (found is long cents && cents > Money.MaxCents)
                {
                    yield return (field, $"must be at most {Money.MaxCents} cents");
                }
            }
            else
            {
                foreach (var error in Check(found, field))
                {
                    yield return error;
                }
            }
        }
    }

    private static (PropertyInfo, string)[] Properties(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is not null && p.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is null)
            .Select(p => (p, JsonNamingPolicy.CamelCase.ConvertName(p.Name)))];
}
