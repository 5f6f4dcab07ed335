namespace Grants.Domain.Rounds;

/// <summary>
/// The round does not accept applications now (not yet opened, before its opening time, past its closing time or closed
/// by hand): no draft is started and none is submitted. The message says which, in the round's own time.
/// </summary>
public sealed class RoundNotOpenException(string reason) : Exception(reason);
