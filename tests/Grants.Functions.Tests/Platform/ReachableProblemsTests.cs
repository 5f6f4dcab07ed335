using System.Text.Json.Nodes;
using Grants.Functions.Decisions;
using Grants.Functions.Platform.FunctionApp;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.OpenApi;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// The error responses in the OpenAPI document are read from what each operation's code can return
/// (<see cref="ReachableProblems"/>), not guessed from its method. That every response the tests meet is declared
/// is checked on every request (<see cref="Infrastructure.ApiContract"/>); these check that the document is not
/// padded: an operation lists what its own code and the checks that apply to it can answer, and no more.
/// </summary>
public sealed class ReachableProblemsTests
{
    private static readonly Lazy<JsonObject> Document = new(() =>
        OpenApiDocument.Build(FunctionAppFiles.ReadMetadata(AppContext.BaseDirectory), "api", typeof(OpenApiDocument).Assembly));

    [Fact]
    public void AReadAnswersNotFoundForItsRouteValueAndNeverAConflict()
    {
        var problems = ProblemTypes("/api/schemes/{schemeId}", "get");

        Assert.Contains("404 not-found", problems);
        Assert.DoesNotContain(problems, p => p.StartsWith("409", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.StartsWith("422", StringComparison.Ordinal));
    }

    [Fact]
    public void ACreateWithoutRouteValuesCannotBeNotFoundButCanMeetTheSameCreate()
    {
        var problems = ProblemTypes("/api/schemes", "post");

        Assert.DoesNotContain("404 not-found", problems);
        Assert.Contains("409 already-exists", problems);
        Assert.Contains("422 validation-failed", problems);
        Assert.Contains("422 idempotency-key-reused", problems);
        Assert.DoesNotContain("409 concurrency-conflict", problems);
    }

    [Fact]
    public void OnlyAnUpdateThatNeedsIfMatchCanAnswerPreconditionRequired()
    {
        Assert.Contains("428 precondition-required", ProblemTypes("/api/schemes/{schemeId}/name", "put"));
        Assert.DoesNotContain("428 precondition-required", ProblemTypes("/api/schemes/{schemeId}/retire", "post"));
    }

    [Fact]
    public void AnAnonymousRouteCannotAnswerUnauthenticatedOrForbidden()
    {
        var problems = ProblemTypes("/api/rounds/{roundId}/lottery/protocol", "get");

        Assert.DoesNotContain("401 unauthenticated", problems);
        Assert.DoesNotContain("403 forbidden", problems);
        Assert.Contains("422 validation-failed", problems);
    }

    /// <summary>A refusal the domain throws deep down is found where it is thrown: the budget ledger's ceiling.</summary>
    [Fact]
    public void AnAwardCanMeetTheCeilingTheBudgetLedgerEnforces()
    {
        Assert.Contains("409 ceiling-exceeded", ProblemTypes("/api/applications/{applicationId}/award", "post"));
        Assert.DoesNotContain("409 ceiling-exceeded", ProblemTypes("/api/applications/{applicationId}/reject", "post"));

        var chain = new ReachableProblems(typeof(OpenApiDocument).Assembly)
            .Explain(typeof(AwardApplication).GetMethod(nameof(AwardApplication.Run))!, ProblemKind.CeilingExceeded);

        Assert.NotNull(chain);
        Assert.Equal("Grants.Domain.Budget.BudgetLedger.Apply", chain[^1]);
    }

    /// <summary>Only a rule of the round's procedure can refuse a submission because the round is not open.</summary>
    [Fact]
    public void OnlyWhatCanMeetAClosedRoundSaysSo()
    {
        Assert.Contains("409 round-not-open", ProblemTypes("/api/applications/{applicationId}/submit", "post"));
        Assert.DoesNotContain("409 round-not-open", ProblemTypes("/api/applications/{applicationId}/withdraw", "post"));
    }

    [Fact]
    public void EveryProblemResponseNamesItsTypes()
    {
        foreach (var (path, methods) in Document.Value["paths"]!.AsObject())
        {
            foreach (var (method, operation) in methods!.AsObject())
            {
                foreach (var (status, reference) in operation!["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5'))
                {
                    var response = Resolved(reference!);
                    if (response["x-problem-types"] is JsonArray named)
                    {
                        // A protocol's own error shape (CommonGrants): the kinds are named beside it.
                        Assert.NotEmpty(named);
                        Assert.All(named, t => Assert.Equal(int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), ProblemKind.All.Single(k => k.Type == t!.GetValue<string>()).Status));
                        continue;
                    }

                    if (response["content"]!["application/problem+json"] is null)
                    {
                        // A page the operation answers with at this status (the questionnaire's "closed" page), not a problem.
                        Assert.True(response["content"]!["text/html"] is not null, $"{method} {path} {status} is neither a problem nor a page");
                        continue;
                    }

                    var types = TypesOf(response);
                    Assert.True(types.Count > 0, $"{method} {path} {status} names no problem type");
                    Assert.All(types, t => Assert.Equal(int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), ProblemKind.All.Single(k => k.Type == t!.GetValue<string>()).Status));
                }
            }
        }
    }

    /// <summary>The problem types a problem response names: the enum of its schema's <c>type</c>, a component of its own.</summary>
    private static JsonArray TypesOf(JsonNode response)
    {
        var reference = response["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>();
        var schema = Document.Value["components"]!["schemas"]![reference["#/components/schemas/".Length..]]!;
        return schema["properties"]!["type"]!["enum"]!.AsArray();
    }

    /// <summary>The response, or the shared one it refers to.</summary>
    private static JsonNode Resolved(JsonNode response) =>
        response["$ref"] is JsonValue reference
            ? Document.Value["components"]!["responses"]![reference.GetValue<string>()["#/components/responses/".Length..]]!
            : response;

    private static List<string> ProblemTypes(string path, string method) =>
        Document.Value["paths"]![path]![method]!["responses"]!.AsObject()
            .Select(r => (r.Key, Value: Resolved(r.Value!)))
            .Where(r => r.Key[0] is '4' or '5' && r.Value["content"]!["application/problem+json"] is not null)
            .SelectMany(r => TypesOf(r.Value)
                .Select(t => $"{r.Key} {t!.GetValue<string>()["urn:grants:problem:".Length..]}"))
            .ToList();
}
