using Grants.Contracts.Schemes;
using Grants.Domain.Schemes;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Schemes;

/// <summary>How a stored scheme is shown through the API.</summary>
public static class SchemeResponses
{
    public static SchemeResponse From(StoredAggregate<SchemeData> stored) => new(
        stored.Id,
        stored.State.Name,
        stored.State.Instrument.ToString(),
        stored.State.Description,
        stored.State.Status.ToString(),
        stored.State.RetiredReason,
        stored.Version);

    public static string Location(StoredAggregate<SchemeData> stored) => $"/api/schemes/{stored.Id}";
}
