using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Grants.Contracts.Applications;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;
using Grants.LocalHost.Services;

namespace Grants.Functions.Tests.Guide;

/// <summary>
/// A host of its own for docs/api.md: fresh storage, so the guide's ids (derived from its Idempotency-Keys) are
/// new, and the local host's movable clock, started at the instant the guide's dates are written for.
/// </summary>
public sealed class GuideGrantsApi : GrantsHost
{
    /// <summary>Monday 1 March 2027, 09:00 in Amsterdam: the moment the guide's round opens.</summary>
    public static readonly DateTimeOffset GuideStarts = new(2027, 3, 1, 9, 0, 0, TimeSpan.FromHours(1));

    public override TimeProvider Clock { get; } = LocalClock.StartingAt(GuideStarts);
}

/// <summary>
/// docs/api.md cannot go stale: every request it shows is sent as written, in order, and every response it
/// shows is checked (<see cref="ApiGuide"/>). What the guide tells in words — other organisations applying —
/// the directives below do through the same API.
/// </summary>
public sealed class ApiGuideTests(GuideGrantsApi api) : IClassFixture<GuideGrantsApi>
{
    /// <summary>The four other organisations of the guide's round: each asks the round's maximum.</summary>
    private static readonly string[] OtherOrganisations = ["30000001", "30000002", "30000003", "30000004"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheGuideRunsAsWritten()
    {
        var steps = ApiGuide.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "docs", "api.md"), Ct));
        Assert.True(steps.OfType<ApiGuide.Request>().Count() >= 30, "the guide shows the three journeys' requests");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        using var client = api.Anonymous();
        ApiGuide.Request? sent = null;
        HttpResponseMessage? received = null;
        foreach (var step in steps)
        {
            switch (step)
            {
                case ApiGuide.Tokens tokens:
                    foreach (var command in tokens.Commands)
                    {
                        values[command.Name] = api.Token(command.Role, command.Organisation, command.Subject ?? command.Role, TimeSpan.FromHours(command.Hours));
                    }

                    break;
                case ApiGuide.Request request:
                    Assert.True(sent is null, $"docs/api.md:{sent?.Line}: the request shows no response");
                    (sent, received) = (request, await client.SendAsync(Message(request, values), Ct));
                    break;
                case ApiGuide.Response response:
                    Assert.True(sent is not null, $"docs/api.md:{response.Line}: a response without a request");
                    await CheckAsync(sent, received!, response, values);
                    (sent, received) = (null, null);
                    break;
                case ApiGuide.Directive directive:
                    await RunAsync(directive, values);
                    break;
            }
        }

        Assert.True(sent is null, $"docs/api.md:{sent?.Line}: the request shows no response");
    }

    private static HttpRequestMessage Message(ApiGuide.Request request, Dictionary<string, string> values)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), ApiGuide.Substitute(request.Target, values, request.Line).TrimStart('/'));
        string? contentType = null;
        foreach (var (name, value) in request.Headers)
        {
            var text = ApiGuide.Substitute(value, values, request.Line);
            if (name == "Content-Type")
            {
                contentType = text;
            }
            else
            {
                Assert.True(message.Headers.TryAddWithoutValidation(name, text), $"docs/api.md:{request.Line}: header {name}");
            }
        }

        if (request.Body is { } body)
        {
            // "< plan.pdf" is how REST clients send a file: here a small well-formed PDF of the guide's own.
            message.Content = body.StartsWith("< ", StringComparison.Ordinal)
                ? new ByteArrayContent(TestPdf.Create(20_000))
                : new StringContent(ApiGuide.Substitute(body, values, request.Line), Encoding.UTF8);
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/json");
        }

        return message;
    }

    private static async Task CheckAsync(ApiGuide.Request request, HttpResponseMessage received, ApiGuide.Response expected, Dictionary<string, string> values)
    {
        var body = await received.Content.ReadAsStringAsync(Ct);
        var where = $"docs/api.md:{expected.Line} ({request.Method} {request.Target})";
        Assert.True((int)received.StatusCode == expected.Status, $"{where}: got {(int)received.StatusCode}, the guide shows {expected.Status}: {body}");
        foreach (var (name, value) in expected.Headers)
        {
            var actual = received.Headers.TryGetValues(name, out var found) || received.Content.Headers.TryGetValues(name, out found) ? string.Join(", ", found) : null;
            Assert.True(actual is not null && ApiGuide.MatchText(value, actual, values), $"{where}: header {name} is '{actual}', the guide shows '{value}'");
        }

        if (expected.Body is not null)
        {
            var difference = ApiGuide.Mismatch(expected.Body, JsonNode.Parse(body), values);
            Assert.True(difference is null, $"{where}: {difference}\n{body}");
        }
    }

    /// <summary>Winners went ahead as planned; of the two losers the first did it on a smaller scale, the second not at all.</summary>
    private async Task OthersAnswerAsync(string roundId, HttpClient ministry)
    {
        var selected = (await (await ministry.GetAsync($"api/rounds/{roundId}/applications?status=Selected", Ct)).ReadAsync<ApplicationPageResponse>())
            .Items.Select(a => a.OrganisationKvk).ToHashSet(StringComparer.Ordinal);
        var losers = 0;
        using var browser = api.Anonymous();
        foreach (var kvk in OtherOrganisations)
        {
            var project = selected.Contains(kvk) ? "as_planned" : losers++ == 0 ? "smaller" : "not_at_all";
            var answered = await browser.PostAsync($"api/respond/{await QuestionnaireTokenAsync(kvk)}", MailText.Form(
                ("project", project), ("money_spent", project == "not_at_all" ? "0" : "60000"), ("productivity", "3"), ("business_performance", "3"), ("innovation", "3"),
                ("quality_of_work", "3"), ("labour_relations", "3"), ("talent_development", "3"), ("other_funding", "0"), ("action", "submit")), Ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, answered.StatusCode);
        }

        Assert.Equal(2, losers);
    }

    /// <summary>The token of the questionnaire link in the organisation's latest invitation.</summary>
    private async Task<string> QuestionnaireTokenAsync(string kvk)
    {
        var invitation = await api.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == Contact(kvk)) && MailText.RespondLink().IsMatch(m.TextBody ?? string.Empty));
        return MailText.RespondLink().Match(invitation.TextBody!).Value["/api/respond/".Length..];
    }

    private static string Contact(string kvk) => kvk == "12345678" ? "directie@metaal-oost.example" : GrantBuilders.ContactEmail(kvk);

    private async Task RunAsync(ApiGuide.Directive directive, Dictionary<string, string> values)
    {
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        switch (directive.Name)
        {
            case "other-organisations-apply":
                foreach (var kvk in OtherOrganisations)
                {
                    using var applicant = await api.RegisteredApplicantAsync(kvk);
                    await applicant.SubmittedAsync(values["round"], GrantBuilders.Content($"Werkplaatsinnovatie bij {kvk}", 120_000_00) with { Themes = ["process-improvement"], StartDate = new DateOnly(2027, 9, 1) });
                }

                break;
            case "other-organisations-are-eligible":
                var page = await (await ministry.GetAsync($"api/rounds/{values["round"]}/applications?status=Submitted", Ct)).ReadAsync<ApplicationPageResponse>();
                var others = page.Items.Where(a => OtherOrganisations.Contains(a.OrganisationKvk)).ToList();
                Assert.Equal(OtherOrganisations.Length, others.Count);
                foreach (var other in others)
                {
                    var response = await ministry.PostAsync($"api/applications/{other.Id}/eligibility", HttpAssertions.Json(new DecideEligibilityRequest("eligible")), Ct);
                    Assert.Equal("Eligible", (await response.ReadAsync<ApplicationResponse>()).Status);
                }

                break;
            case "applicant-opens-the-invitation":
                values["questionnaire"] = await QuestionnaireTokenAsync("12345678");
                break;
            case "other-organisations-answer":
                await OthersAnswerAsync(values["round"], ministry);
                break;
            default:
                Assert.Fail($"docs/api.md:{directive.Line}: no directive '{directive.Name}'");
                break;
        }
    }
}
