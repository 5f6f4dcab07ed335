using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Grants.Functions.Tests.Infrastructure;

public static class HttpAssertions
{
    /// <summary>Asserts an RFC 9457 problem response of the given status and type; returns its body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string typeSlug)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal($"urn:grants:problem:{typeSlug}", problem.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("traceId").GetString());
        return problem;
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web)!;
    }

    /// <summary>A draw's answer: 202 when it is published (its publication runs in the background), 200 when the balance check holds it.</summary>
    public static async Task<Grants.Contracts.Lottery.LotteryStatusResponse> ReadDrawAsync(this HttpResponseMessage response, HttpClient client)
    {
        var asked = await response.ReadAsync<Grants.Contracts.Lottery.LotteryStatusResponse>(HttpStatusCode.Accepted);
        // Drawing; a retry that finds its first attempt's request recorded answers with the round as it is by then.
        Assert.Contains(asked.RoundStatus, new[] { "Drawing", "Drawn" });
        Assert.StartsWith($"/api/operations/op-draw-{asked.RoundId}-", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var operation = await (await client.GetAsync(response.Headers.Location, TestContext.Current.CancellationToken)).ReadAsync<Grants.Contracts.Operations.OperationResponse>();
        Assert.Equal("Succeeded", operation.Status);
        var status = await (await client.GetAsync($"api/rounds/{asked.RoundId}/lottery", TestContext.Current.CancellationToken)).ReadAsync<Grants.Contracts.Lottery.LotteryStatusResponse>();
        Assert.Equal("Drawn", status.RoundStatus);
        // Drawn as of the moment asked for, which names the operation: a listing delivered again computes the same protocol.
        Assert.EndsWith(status.Draw!.DrawnAt.UtcTicks.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        // A draw published at once was published by its own operation, one item per pool unit; a held one waits for its confirmation.
        Assert.Equal(status.Draw.HeldForBalance ? 0 : operation.Total, operation.Done);
        return status;
    }

    /// <summary>A 202's operation as it ended: the client waited for it (<see cref="Grants.LocalHost.Clients.OperationWaiter"/>); its status is read once more.</summary>
    public static async Task<Grants.Contracts.Operations.OperationResponse> ReadFinishedOperationAsync(this HttpResponseMessage response, HttpClient client)
    {
        await response.ReadAsync<Grants.Contracts.Operations.OperationResponse>(HttpStatusCode.Accepted);
        var operation = await (await client.GetAsync(response.Headers.Location, TestContext.Current.CancellationToken)).ReadAsync<Grants.Contracts.Operations.OperationResponse>();
        Assert.Equal("Succeeded", operation.Status);
        return operation;
    }

    /// <summary>
    /// A 202 whose work a rule of the procedure refused, read with a client that does not wait for operations: waiting
    /// for it ends as refused, and its status says why.
    /// </summary>
    public static async Task<Grants.Contracts.Operations.OperationResponse> ReadRefusedOperationAsync(this HttpResponseMessage response, HttpClient client)
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location ?? throw new Xunit.Sdk.XunitException("A 202 without a Location.");
        var id = location.OriginalString["/api/operations/".Length..];
        await Assert.ThrowsAsync<Grants.LocalHost.Clients.OperationRefusedException>(
            () => Grants.LocalHost.Clients.OperationWaiter.WaitAsync(client, id, GrantsHost.OperationTimeout, TestContext.Current.CancellationToken));
        var operation = await (await client.GetAsync(location, TestContext.Current.CancellationToken)).ReadAsync<Grants.Contracts.Operations.OperationResponse>();
        Assert.Equal("Refused", operation.Status);
        Assert.Equal(0, operation.Done);
        Assert.Null(operation.ListedAt); // refused before anything was listed
        return operation;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static JsonContent Json<T>(T value) => JsonContent.Create(value);
}
