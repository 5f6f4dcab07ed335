namespace Grants.Contracts.Health;

/// <summary>What GET /api/health reports: overall status, the deployed version, and whether storage answers.</summary>
public sealed record HealthResponse(string Status, string Version, string Storage);
