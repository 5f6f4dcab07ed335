using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grants.Domain.Lottery;

/// <summary>
/// How the lottery's published documents (the protocol, the announcements before the draw) are
/// written and read. Reading is strict, so that every reader sees the same values: names are
/// case-sensitive, a name given twice, an unknown name, a missing required value or a null where a
/// value belongs makes the document unreadable — never "the last one wins".
/// </summary>
public static class PublishedJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        PropertyNameCaseInsensitive = false,
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}
