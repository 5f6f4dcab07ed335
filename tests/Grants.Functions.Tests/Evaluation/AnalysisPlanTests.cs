using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Grants.Cli.Commands;
using Grants.Contracts.Audit;
using Grants.Contracts.Evaluation;
using Grants.Contracts.Lottery;
using Grants.Contracts.Rounds;
using Grants.Domain.Lottery;
using Grants.Evaluation.Dataset;
using Grants.Evaluation.Planning;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Evaluation;

/// <summary>
/// The analysis plan over the API (docs/decisions/0013): configured with the round, committed and announced
/// when it opens, carried by every protocol as analysisPlanHash and checked against the announcement, amended
/// after the published draw only as a recorded amendment, and exported as design.json (the plan in force) and
/// analysis-plan.json (the whole record).
/// </summary>
public sealed class AnalysisPlanTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Loaded once: the schema library registers a schema under its $id and refuses a second registration.</summary>
    private static readonly Json.Schema.JsonSchema RecordSchema =
        Json.Schema.JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "contracts", "schemas", "analysis-plan.schema.json")));

    /// <summary>The plan of these tests' rounds: the second wave, two years on, a stricter alpha and a smaller family.</summary>
    private static readonly AnalysisPlanDto Configured = new(Alpha: 0.01, PrimaryWave: 2, OutcomeFamily: ["realised", "full", "money_spent"]);

    private static readonly EvaluationDesign ConfiguredPlan = new() { Alpha = 0.01, PrimaryWave = 2, OutcomeFamily = ["realised", "full", "money_spent"] };

    private HttpClient Ministry() => api.As(Roles.Ministry, subject: "beleidsmedewerker");

    [Fact]
    public async Task ThePlanIsConfiguredWithTheRoundAndCommittedAndAnnouncedWhenItOpens()
    {
        using var ministry = Ministry();
        var (scheme, _) = await ministry.CreateAsync();
        var created = await ministry.PostAsync($"api/schemes/{scheme.Id}/rounds",
            HttpAssertions.Json(new CreateRoundRequest("ESF-E 2009", GrantBuilders.Esf2008(api.Clock) with { AnalysisPlan = new AnalysisPlanDto(Alpha: 0.01) })), Ct);
        var draft = await created.ReadAsync<RoundResponse>(HttpStatusCode.Created);

        // Every field is shown, the defaults written out: the primary wave is the first unless the plan names another.
        Assert.Equal(new EvaluationDesign { Alpha = 0.01, PrimaryWave = 1 }.Hash(), RoundPlan(draft).Hash());
        await (await ministry.GetAsync($"api/rounds/{draft.Id}/evaluation/plan", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");

        // In Draft the plan changes with the configuration, a new version.
        var configure = new HttpRequestMessage(HttpMethod.Put, $"api/rounds/{draft.Id}/configuration")
        {
            Content = HttpAssertions.Json(new ConfigureRoundRequest(GrantBuilders.Esf2008(api.Clock) with { AnalysisPlan = Configured })),
        };
        configure.Headers.TryAddWithoutValidation("If-Match", created.Headers.ETag!.ToString());
        var reconfigured = await (await ministry.SendAsync(configure, Ct)).ReadAsync<RoundResponse>();
        Assert.Equal(2, reconfigured.ConfigurationVersion);
        Assert.Equal(ConfiguredPlan.Hash(), RoundPlan(reconfigured).Hash());

        var opened = await (await ministry.PostAsync($"api/rounds/{draft.Id}/open", null, Ct)).ReadAsync<RoundResponse>();

        // Announced, public, at the moment the round opened.
        using var anyone = api.Anonymous();
        var announcements = LotteryAnnouncements.FromJson(await (await anyone.GetAsync($"api/rounds/{draft.Id}/lottery/announcements", Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Equal(LotteryAnnouncements.CurrentSchemaVersion, announcements.SchemaVersion);
        var announced = announcements.AnalysisPlan!;
        Assert.Equal((ConfiguredPlan.Hash(), opened.OpenedAt!.Value), (announced.PlanHash, announced.CommittedAt));
        Assert.Equal(ConfiguredPlan.CanonicalJson(), announced.Plan.CanonicalJson());

        // The record: committed, nothing amended; an auditor reads it too, an applicant does not.
        using var auditor = api.As(Roles.Auditor);
        var record = AnalysisPlanRecord.Parse(await (await auditor.GetAsync($"api/rounds/{draft.Id}/evaluation/plan", Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Equal((draft.Id, ConfiguredPlan.Hash(), opened.OpenedAt.Value), (record.RoundId, record.Hash, record.CommittedAt));
        Assert.Empty(record.Amendments);
        using var applicant = api.As(Roles.Applicant, organisation: GrantBuilders.NewKvk());
        Assert.Equal(HttpStatusCode.Forbidden, (await applicant.GetAsync($"api/rounds/{draft.Id}/evaluation/plan", Ct)).StatusCode);

        // Frozen with the configuration.
        var frozen = new HttpRequestMessage(HttpMethod.Put, $"api/rounds/{draft.Id}/configuration")
        {
            Content = HttpAssertions.Json(new ConfigureRoundRequest(GrantBuilders.Esf2008(api.Clock) with { AnalysisPlan = new AnalysisPlanDto(PrimaryWave: 1) })),
        };
        frozen.Headers.TryAddWithoutValidation("If-Match", (await ministry.GetAsync($"api/rounds/{draft.Id}", Ct)).Headers.ETag!.ToString());
        await (await ministry.SendAsync(frozen, Ct)).AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
    }

    public static TheoryData<string, string, HttpStatusCode, string> BadPlans => new()
    {
        { "a primary wave the round does not have", """{"primaryWave":3}""", HttpStatusCode.UnprocessableEntity, "analysisPlan.primaryWave" },
        { "an outcome the export does not have", """{"primaryOutcome":"turnover"}""", HttpStatusCode.UnprocessableEntity, "analysisPlan.primaryOutcome" },
        { "a family member the export does not have", """{"outcomeFamily":["realised","profit"]}""", HttpStatusCode.UnprocessableEntity, "analysisPlan.outcomeFamily" },
        { "alpha 0.7", """{"alpha":0.7}""", HttpStatusCode.UnprocessableEntity, "analysisPlan.alpha" },
        { "another estimator", """{"primaryEstimator":"ols"}""", HttpStatusCode.UnprocessableEntity, "analysisPlan.primaryEstimator" },
        { "an unknown field", """{"alpha":0.05,"primaryOutcomes":"realised"}""", HttpStatusCode.BadRequest, "configuration.analysisPlan.primaryOutcomes" },
        { "alpha as a string", """{"alpha":"0.05"}""", HttpStatusCode.BadRequest, "configuration.analysisPlan.alpha" },
    };

    [Theory]
    [MemberData(nameof(BadPlans))]
    public async Task APlanThatDoesNotFitTheRoundIsRefusedAndNothingIsStored(string because, string plan, HttpStatusCode status, string field)
    {
        using var ministry = Ministry();
        var (scheme, _) = await ministry.CreateAsync();
        var configuration = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(GrantBuilders.Esf2008(api.Clock), System.Text.Json.JsonSerializerOptions.Web))!.AsObject();
        configuration["analysisPlan"] = JsonNode.Parse(plan);

        var created = await ministry.PostAsync($"api/schemes/{scheme.Id}/rounds", HttpAssertions.Json(new JsonObject { ["name"] = "Bad plan", ["configuration"] = configuration }.ToJsonString()), Ct);

        var problem = await created.AssertProblemAsync(status, status == HttpStatusCode.BadRequest ? "malformed-request" : "validation-failed");
        if (status == HttpStatusCode.BadRequest)
        {
            Assert.Contains($"'{field}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        else
        {
            var errors = problem.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out var messages), $"{because}: {errors}");
            Assert.DoesNotContain("design.json", messages[0].GetString(), StringComparison.Ordinal);
        }

        Assert.Empty(await (await ministry.GetAsync($"api/schemes/{scheme.Id}/rounds", Ct)).ReadAsync<List<RoundResponse>>());

        // Nor does a draft round take it as a new configuration.
        var draftResponse = await ministry.PostAsync($"api/schemes/{scheme.Id}/rounds", HttpAssertions.Json(new CreateRoundRequest("ESF-E 2009", GrantBuilders.Esf2008(api.Clock))), Ct);
        var draft = await draftResponse.ReadAsync<RoundResponse>(HttpStatusCode.Created);
        var configure = new HttpRequestMessage(HttpMethod.Put, $"api/rounds/{draft.Id}/configuration") { Content = HttpAssertions.Json(new JsonObject { ["configuration"] = configuration.DeepClone() }.ToJsonString()) };
        configure.Headers.TryAddWithoutValidation("If-Match", draftResponse.Headers.ETag!.ToString());
        Assert.Equal(status, (await ministry.SendAsync(configure, Ct)).StatusCode);
        var stored = await (await ministry.GetAsync($"api/rounds/{draft.Id}", Ct)).ReadAsync<RoundResponse>();
        Assert.Equal((1, Grants.Domain.Rounds.RoundConfiguration.DefaultPrimaryWave), (stored.ConfigurationVersion, stored.Configuration.AnalysisPlan!.PrimaryWave));
    }

    [Fact]
    public async Task TheProtocolCarriesTheCommittedPlansHashAndFailsVerificationWhenItIsAltered()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync(adjust: c => c with { AnalysisPlan = Configured });
        var roundId = drawn.Round.Id;
        await scenario.RevealBothAsync(drawn);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{roundId}/lottery/draw", null, Ct));

        using var anyone = api.Anonymous();
        var json = await (await anyone.GetAsync($"api/rounds/{roundId}/lottery/protocol", Ct)).Content.ReadAsStringAsync(Ct);
        var protocol = LotteryProtocol.FromJson(json);
        Assert.Equal((2, ConfiguredPlan.Hash()), (protocol.SchemaVersion, protocol.AnalysisPlanHash));
        var verification = await (await anyone.GetAsync($"api/rounds/{roundId}/lottery/verify", Ct)).ReadAsync<VerificationResponse>();
        Assert.True(verification.Verified, verification.FirstMismatch);

        // An outside auditor checks it against the announcements from their public route.
        var announcements = new Uri(anyone.BaseAddress!, $"api/rounds/{roundId}/lottery/announcements").ToString();
        var file = Path.Combine(Path.GetTempPath(), $"protocol-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllTextAsync(file, json, Ct);
            var output = new StringWriter();
            Assert.True(await LotteryCommand.VerifyAsync(new VerifyRequest(file, Announcements: announcements), output, Ct) == LotteryCommand.Verified, output.ToString());
            Assert.Contains("It carries the hash of the analysis plan committed at ", output.ToString(), StringComparison.Ordinal);

            // The same protocol claiming another plan — the defaults — still recomputes, but not against what was announced.
            var altered = JsonNode.Parse(json)!;
            altered["analysisPlanHash"] = new EvaluationDesign { PrimaryWave = 1 }.Hash();
            await File.WriteAllTextAsync(file, altered.ToJsonString(), Ct);
            output = new StringWriter();
            Assert.Equal(LotteryCommand.Mismatch, await LotteryCommand.VerifyAsync(new VerifyRequest(file, Announcements: announcements), output, Ct));
            Assert.StartsWith($"mismatch: analysisPlanHash: announced for draw 1 {ConfiguredPlan.Hash()}, the protocol has {altered["analysisPlanHash"]!.GetValue<string>()}", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ThePlanIsAmendedOnlyAfterThePublishedDrawAndEveryAmendmentIsListedAuditedAndExported()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync(adjust: c => c with { AnalysisPlan = Configured });
        var roundId = drawn.Round.Id;
        using var ministry = Ministry();
        var amendment = new AmendAnalysisPlanRequest(new AnalysisPlanDto(PrimaryOutcome: "full"), "Only projects carried out as planned show what the subsidy changed.");

        // Before the draw the plan stands as committed.
        await (await ministry.PostAsync($"api/rounds/{roundId}/evaluation/plan/amendments", HttpAssertions.Json(amendment), Ct)).AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        Assert.Empty(await AmendmentsAsync(roundId));

        await scenario.RevealBothAsync(drawn);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{roundId}/lottery/draw", null, Ct));

        // Refused: not the ministry, no reason, a control character, the plan in force, a wave the round lacks, an unknown field.
        using var auditor = api.As(Roles.Auditor);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsync($"api/rounds/{roundId}/evaluation/plan/amendments", HttpAssertions.Json(amendment), Ct)).StatusCode);
        await (await Amend(ministry, roundId, amendment with { Reason = " " })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        await (await Amend(ministry, roundId, amendment with { Reason = "Because\u0007" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        var unchanged = await (await Amend(ministry, roundId, new AmendAnalysisPlanRequest(new AnalysisPlanDto(Alpha: 0.01), "Restating it."))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        Assert.Contains("is the plan in force already", unchanged.GetProperty("errors").GetProperty("plan")[0].GetString(), StringComparison.Ordinal);
        var thirdWave = await (await Amend(ministry, roundId, amendment with { Plan = new AnalysisPlanDto(PrimaryWave: 3) })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        Assert.True(thirdWave.GetProperty("errors").TryGetProperty("plan.primaryWave", out _), thirdWave.ToString());
        await (await ministry.PostAsync($"api/rounds/{roundId}/evaluation/plan/amendments", HttpAssertions.Json("""{"plan":{"wave":2},"reason":"x"}"""), Ct))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "malformed-request");
        Assert.Empty(await AmendmentsAsync(roundId));

        // Accepted once, with an Idempotency-Key: a retry gets the same answer and records nothing more.
        var first = await Amend(ministry, roundId, amendment, key: "amend-plan-1");
        var firstBody = await first.Content.ReadAsStringAsync(Ct);
        Assert.True(first.StatusCode == HttpStatusCode.OK, firstBody);
        var retried = await Amend(ministry, roundId, amendment, key: "amend-plan-1");
        Assert.Equal((HttpStatusCode.OK, firstBody), (retried.StatusCode, await retried.Content.ReadAsStringAsync(Ct)));

        var record = AnalysisPlanRecord.Parse(await (await auditor.GetAsync($"api/rounds/{roundId}/evaluation/plan", Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Equal(ConfiguredPlan.Hash(), record.Hash); // the committed plan stands beside its amendment
        var recorded = Assert.Single(record.Amendments);
        var amended = ConfiguredPlan with { PrimaryOutcome = "full" }; // the fields left out keep their value in force
        Assert.Equal((amended.Hash(), amendment.Reason), (recorded.Hash, recorded.Reason));
        Assert.EndsWith("beleidsmedewerker", recorded.By, StringComparison.Ordinal);
        Assert.Equal(amended.CanonicalJson(), record.InForce.CanonicalJson());
        AssertValidRecord(await (await auditor.GetAsync($"api/rounds/{roundId}/evaluation/plan", Ct)).Content.ReadAsStringAsync(Ct));

        // The announcement before the draw is untouched, and the protocol still verifies against it.
        using var anyone = api.Anonymous();
        var announcements = LotteryAnnouncements.FromJson(await (await anyone.GetAsync($"api/rounds/{roundId}/lottery/announcements", Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Equal(ConfiguredPlan.Hash(), announcements.AnalysisPlan!.PlanHash);

        // An audit event says what changed, by whom and why.
        var trail = await (await auditor.GetAsync($"api/audit/{roundId}", Ct)).ReadAsync<AuditTrailResponse>();
        var logged = Assert.Single(trail.Events, e => e.Type == "AnalysisPlanAmended");
        Assert.Contains("primaryOutcome: realised", logged.Payload, StringComparison.Ordinal);
        Assert.Contains(amended.Hash(), logged.Payload, StringComparison.Ordinal);
        Assert.Contains(amendment.Reason, logged.Payload, StringComparison.Ordinal);

        // The export: design.json is the plan in force, analysis-plan.json the whole record, beside the protocol.
        var zip = new ZipArchive(new MemoryStream(await (await ministry.GetAsync($"api/rounds/{roundId}/evaluation/export", Ct)).Content.ReadAsByteArrayAsync(Ct)));
        string Entry(string name)
        {
            using var reader = new StreamReader(zip.GetEntry(name)!.Open());
            return reader.ReadToEnd();
        }

        Assert.Contains(AnalysisPlanRecord.FileName, zip.Entries.Select(e => e.FullName));
        Assert.Equal(amended.Hash(), EvaluationDesign.Parse(Entry("design.json")).Hash());
        var exported = Entry(AnalysisPlanRecord.FileName);
        Assert.Equal(record.ToJson(), exported);
        AssertValidRecord(exported);
        Assert.Equal(ConfiguredPlan.Hash(), LotteryProtocol.FromJson(Entry("lottery-protocol.json")).AnalysisPlanHash);

        // The report is built under the plan in force.
        var report = Grants.Evaluation.Reporting.ReportJson.Deserialize(await (await ministry.GetAsync($"api/rounds/{roundId}/evaluation", Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Equal(((int?)2, "full", 0.01), (report.Design.PrimaryWave, report.Design.PrimaryOutcome, report.Design.Alpha));
    }

    private static EvaluationDesign RoundPlan(RoundResponse round)
    {
        var p = round.Configuration.AnalysisPlan!;
        return new EvaluationDesign
        {
            Alpha = p.Alpha!.Value, Power = p.Power!.Value, PrimaryWave = p.PrimaryWave, PrimaryOutcome = p.PrimaryOutcome!, OutcomeFamily = p.OutcomeFamily!,
            RandomisationDraws = p.RandomisationDraws!.Value, Seed = p.Seed!.Value, PrimaryEstimator = p.PrimaryEstimator!,
        };
    }

    private async Task<IReadOnlyList<PlanAmendment>> AmendmentsAsync(string roundId)
    {
        using var ministry = Ministry();
        return AnalysisPlanRecord.Parse(await (await ministry.GetAsync($"api/rounds/{roundId}/evaluation/plan", Ct)).Content.ReadAsStringAsync(Ct)).Amendments;
    }

    private static Task<HttpResponseMessage> Amend(HttpClient ministry, string roundId, AmendAnalysisPlanRequest request, string? key = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, $"api/rounds/{roundId}/evaluation/plan/amendments") { Content = HttpAssertions.Json(request) };
        if (key is not null)
        {
            message.Headers.Add(Grants.Functions.Platform.Http.IdempotentRequests.HeaderName, key);
        }

        return ministry.SendAsync(message, Ct);
    }

    /// <summary>analysis-plan.json of a real round is what contracts/schemas/analysis-plan.schema.json describes.</summary>
    private static void AssertValidRecord(string json)
    {
        var result = RecordSchema.Evaluate(System.Text.Json.JsonDocument.Parse(json).RootElement, new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List, RequireFormatValidation = true });
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }
}
