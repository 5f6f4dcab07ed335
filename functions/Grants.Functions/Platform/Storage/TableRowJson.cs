using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// A table row as one JSON object in the Table service's own JSON form, so that an exported table can
/// be read back into one exactly: <c>PartitionKey</c>, <c>RowKey</c> and <c>Timestamp</c> first, then every
/// property by name (ordinal), each value the JSON type would not say annotated with its Edm type
/// (<c>"Amount":"12000000","Amount@odata.type":"Edm.Int64"</c>).
/// </summary>
public static class TableRowJson
{
    private static readonly HashSet<string> SystemProperties = new(StringComparer.Ordinal) { "PartitionKey", "RowKey", "Timestamp", "odata.etag" };

    public static void Write(Utf8JsonWriter json, TableEntity row)
    {
        json.WriteStartObject();
        json.WriteString("PartitionKey", row.PartitionKey);
        json.WriteString("RowKey", row.RowKey);
        if (row.Timestamp is { } timestamp)
        {
            Typed(json, "Timestamp", Instant(timestamp), "Edm.DateTime");
        }

        foreach (var (name, value) in row.Where(p => !SystemProperties.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            switch (value)
            {
                case null:
                    break; // the service stores no nulls
                case string text:
                    json.WriteString(name, text);
                    break;
                case bool flag:
                    json.WriteBoolean(name, flag);
                    break;
                case int number:
                    json.WriteNumber(name, number);
                    break;
                case double number when double.IsFinite(number):
                    json.WriteNumber(name, number);
                    Annotate(json, name, "Edm.Double");
                    break;
                case double number:
                    Typed(json, name, number.ToString(CultureInfo.InvariantCulture), "Edm.Double");
                    break;
                case long number:
                    Typed(json, name, number.ToString(CultureInfo.InvariantCulture), "Edm.Int64");
                    break;
                case DateTimeOffset instant:
                    Typed(json, name, Instant(instant), "Edm.DateTime");
                    break;
                case DateTime instant:
                    Typed(json, name, Instant(new DateTimeOffset(instant.ToUniversalTime())), "Edm.DateTime");
                    break;
                case Guid id:
                    Typed(json, name, id.ToString("D"), "Edm.Guid");
                    break;
                case byte[] bytes:
                    Typed(json, name, Convert.ToBase64String(bytes), "Edm.Binary");
                    break;
                case BinaryData bytes:
                    Typed(json, name, Convert.ToBase64String(bytes.ToMemory().Span), "Edm.Binary");
                    break;
                default:
                    throw new NotSupportedException($"Property {name} of row {row.PartitionKey}/{row.RowKey} has a type the Table service does not store: {value.GetType().Name}.");
            }
        }

        json.WriteEndObject();
    }

    private static string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    private static void Typed(Utf8JsonWriter json, string name, string value, string edmType)
    {
        json.WriteString(name, value);
        Annotate(json, name, edmType);
    }

    private static void Annotate(Utf8JsonWriter json, string name, string edmType) => json.WriteString($"{name}@odata.type", edmType);
}
