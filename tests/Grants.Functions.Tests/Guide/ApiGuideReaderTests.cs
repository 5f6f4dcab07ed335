using System.Text.Json.Nodes;

namespace Grants.Functions.Tests.Guide;

/// <summary>The guide's reader refuses what does not match, so a passing run of docs/api.md means its responses are true.</summary>
public sealed class ApiGuideReaderTests
{
    /// <summary>The table of journeys links to the guide's sections as GitHub names them; a renamed section breaks no link unseen.</summary>
    [Fact]
    public void EveryLinkInTheGuideLeadsToOneOfItsSections()
    {
        var guide = File.ReadAllText(Path.Combine(Infrastructure.RepositoryPaths.Root, "docs", "api.md"));
        var sections = guide.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal))
            .Select(h => System.Text.RegularExpressions.Regex.Replace(h[3..].ToLowerInvariant(), "[^a-z0-9 -]", "").Replace(' ', '-'))
            .ToHashSet(StringComparer.Ordinal);
        var links = System.Text.RegularExpressions.Regex.Matches(guide, @"\]\(#([^)]+)\)").Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.Contains(link, sections));
    }

    [Fact]
    public void AnExcerptMatchesOnlyWhatItShowsAndSetsItsValues()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["round"] = "round-0123456789ab" };
        var actual = JsonNode.Parse("""{"id":"app-0123456789ab-12345678","roundId":"round-0123456789ab","status":"Draft","size":3,"extra":true}""");

        Assert.Null(ApiGuide.Mismatch(JsonNode.Parse("""{"id":"{{application}}","roundId":"{{round}}","size":3}"""), actual, values));
        Assert.Equal("app-0123456789ab-12345678", values["application"]);

        Assert.Equal("$.status is \"Draft\", not \"Submitted\"", ApiGuide.Mismatch(JsonNode.Parse("""{"status":"Submitted"}"""), actual, values));
        Assert.Equal("$.receipt is missing", ApiGuide.Mismatch(JsonNode.Parse("""{"receipt":null}"""), actual, values));
        Assert.Equal("$.id is \"app-0123456789ab-12345678\", not {{round}}", ApiGuide.Mismatch(JsonNode.Parse("""{"id":"{{round}}"}"""), actual, values));
    }

    [Fact]
    public void AnArrayIsShownWhole()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var actual = JsonNode.Parse("""{"waves":[{"wave":1},{"wave":2}]}""");

        Assert.Equal("$.waves is not an array of 1", ApiGuide.Mismatch(JsonNode.Parse("""{"waves":[{"wave":1}]}"""), actual, values));
        Assert.Equal("$.waves[1].wave is 2, not 3", ApiGuide.Mismatch(JsonNode.Parse("""{"waves":[{"wave":1},{"wave":3}]}"""), actual, values));
    }

    [Fact]
    public void TextWithValuesInItMatchesAroundThem()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);

        Assert.True(ApiGuide.MatchText("/api/schemes/{{scheme}}", "/api/schemes/scheme-42", values));
        Assert.Equal("scheme-42", values["scheme"]);
        Assert.False(ApiGuide.MatchText("/api/schemes/{{scheme}}", "/api/schemes/scheme-43", values));
        Assert.False(ApiGuide.MatchText("/api/rounds/{{round}}", "/api/schemes/x", values));
        Assert.Throws<Xunit.Sdk.XunitException>(() => ApiGuide.Substitute("/api/rounds/{{round}}/open", values, 7));
    }

    [Fact]
    public void TheGuideReadsRequestsResponsesTokensAndDirectives()
    {
        var steps = ApiGuide.Parse("""
            ```sh
            ministry=$(dotnet grants dev-token --role ministry --sub beleidsmedewerker --hours 20000)
            ```

            ```http
            POST /api/schemes
            Authorization: Bearer {{ministry}}
            Content-Type: application/json

            {"name":"x"}
            ```

            ```http
            HTTP/1.1 201 Created
            Location: /api/schemes/{{scheme}}
            ```

            <!-- guide: other-organisations-apply -->
            """);

        var tokens = Assert.IsType<ApiGuide.Tokens>(steps[0]);
        Assert.Equal(new ApiGuide.TokenCommand("ministry", "ministry", null, "beleidsmedewerker", 20000), tokens.Commands.Single());
        var request = Assert.IsType<ApiGuide.Request>(steps[1]);
        Assert.Equal(("POST", "/api/schemes", "{\"name\":\"x\"}"), (request.Method, request.Target, request.Body));
        Assert.Equal([("Authorization", "Bearer {{ministry}}"), ("Content-Type", "application/json")], request.Headers);
        var response = Assert.IsType<ApiGuide.Response>(steps[2]);
        Assert.Equal((201, null), (response.Status, response.Body));
        Assert.Equal("other-organisations-apply", Assert.IsType<ApiGuide.Directive>(steps[3]).Name);
    }
}
