using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Grants.Functions.Platform.Http;

/// <summary>
/// The shape errors take on routes that speak a protocol prescribing its own (CommonGrants' error object) instead of an
/// RFC 9457 problem document. The kinds of error, their statuses and their stable types stay this API's (<see cref="ProblemKind"/>);
/// only how they are written changes.
/// </summary>
public interface IProblemForm
{
    /// <summary>The body's type, from which the OpenAPI document describes it.</summary>
    Type Body { get; }

    string MediaType { get; }

    /// <summary>The response for <paramref name="problem"/>, with its status.</summary>
    IResult Write(ProblemDetails problem);
}

/// <summary>
/// Every error of the function, whoever answers it — the function, the gate's route check, a storage failure — is written in
/// <see cref="Form"/>'s shape (<see cref="RequestGate"/>), and the OpenAPI document declares that shape for each.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ProblemFormAttribute(Type form) : Attribute
{
    public IProblemForm Form { get; } = (IProblemForm)(Activator.CreateInstance(form)
        ?? throw new ArgumentException($"{form.Name} cannot be made.", nameof(form)));
}
