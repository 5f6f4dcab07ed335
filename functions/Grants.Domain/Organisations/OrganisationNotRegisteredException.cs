namespace Grants.Domain.Organisations;

/// <summary>The organisation cannot act as registered: its registration is not there or no longer holds its contact people.</summary>
public sealed class OrganisationNotRegisteredException(string message) : Exception(message);
