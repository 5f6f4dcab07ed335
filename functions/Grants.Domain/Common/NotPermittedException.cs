namespace Grants.Domain.Common;

/// <summary>The procedure gives this step to someone else (the committee's chair, not a member): answered as forbidden.</summary>
public sealed class NotPermittedException(string message) : Exception(message);
