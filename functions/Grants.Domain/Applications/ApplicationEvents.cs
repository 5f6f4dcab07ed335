namespace Grants.Domain.Applications;

/// <summary>
/// What happens to an application that other parts of the programme act on. The application's commands raise them
/// with their change; each feature that has a part in what follows subscribes by name.
/// </summary>
public static class ApplicationEvents
{
    /// <summary>The application gave up its place in the draw; the detail says how (<see cref="PlaceReleases"/>).</summary>
    public const string PlaceReleased = "application.place-released";

    /// <summary>An award was decided (approved, where it needed a second approver).</summary>
    public const string AwardDecided = "application.award-decided";

    /// <summary>The grantee accepted its award.</summary>
    public const string AwardAccepted = "application.award-accepted";
}

/// <summary>How an application gave up its place: its budget is released and the cut-off moves down the reserve list.</summary>
public static class PlaceReleases
{
    public const string Withdrawal = "withdrawal";
    public const string Rejection = "rejection";
    public const string Decline = "decline";
    public const string Lapse = "lapse";

    /// <summary>The reason recorded with the cut-off change, naming the application by its pool id.</summary>
    public static string Reason(string kind, string poolId) => kind switch
    {
        Withdrawal => $"Application {poolId} was withdrawn.",
        Rejection => $"Application {poolId} was rejected.",
        Decline => $"The award to {poolId} was declined.",
        Lapse => $"The award to {poolId} lapsed unanswered.",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind of release."),
    };
}
