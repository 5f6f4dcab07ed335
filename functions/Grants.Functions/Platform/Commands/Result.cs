using Grants.Functions.Platform.Http;

namespace Grants.Functions.Platform.Commands;

/// <summary>
/// Why a use case did not produce its value, in the terms of the problem registry (<see cref="ProblemKind"/>),
/// never in HTTP's: the one mapping in <see cref="ResultResponses"/> turns it into a problem response.
/// </summary>
public sealed record Failure(ProblemKind Kind, string Detail, IReadOnlyDictionary<string, object?>? Extensions = null)
{
    public static Failure NotFound(string detail) => new(ProblemKind.NotFound, detail);

    public static Failure Forbidden(string detail) => new(ProblemKind.Forbidden, detail);

    public static Failure AlreadyExists(string detail) => new(ProblemKind.AlreadyExists, detail);

    public static Failure Invalid(IReadOnlyDictionary<string, string[]> errors, string detail = "One or more fields are invalid.") =>
        new(ProblemKind.ValidationFailed, detail, new Dictionary<string, object?> { ["errors"] = errors });
}

/// <summary>
/// What a use case answers: its value, or the <see cref="Failure"/> that kept it from one. Handlers return it
/// and know nothing of HTTP; rules the domain refuses still surface as its exceptions, which the request gate
/// maps in the same one place.
/// </summary>
public readonly record struct Result<T>
{
    private Result(T? value, Failure? failure) => (Value, Failure) = (value, failure);

    public T? Value { get; }

    public Failure? Failure { get; }

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Failure failure) => new(default, failure);

    /// <summary>The same failure, or <paramref name="map"/> applied to the value.</summary>
    public Result<TOut> Select<TOut>(Func<T, TOut> map) => Failure is { } failure ? failure : map(Value!);
}
