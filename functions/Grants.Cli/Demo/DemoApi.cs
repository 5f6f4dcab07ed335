using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Grants.Domain.Common;
using Grants.Functions.Platform.Identity;
using Grants.LocalHost;
using Grants.LocalHost.Identity;

namespace Grants.Cli.Demo;

/// <summary>How a demo talks to the system it started: as a user with a development token, waiting for background work as staff would.</summary>
public sealed class DemoApi(LocalFunctionsHost host, DemoClock clock, string signingKey, CancellationToken cancellationToken)
{
    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    public HttpClient Client(string role, string? organisation, string subject)
    {
        // Waits, as staff would, for the background work that closing, freezing and drawing start.
        // The client's own timeout must outlast the waiter's, or a long round-wide operation (closing 8,000 applications
        // under load) ends the demo with a cancellation instead of its result.
        var waiter = new Grants.LocalHost.Clients.OperationWaiter(new SocketsHttpHandler());
        var client = new HttpClient(waiter) { BaseAddress = host.BaseAddress, Timeout = waiter.Timeout + TimeSpan.FromMinutes(1) };
        var token = DevelopmentTokens.Issue(new AuthOptions { DevelopmentSigningKey = signingKey }, subject, role, organisation, clock.GetUtcNow(), TimeSpan.FromDays(1));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static string Contact(string kvk) => $"contact-{kvk}@example.org";

    public static string Local(DateTimeOffset instant) => AmsterdamTime.ToLocal(instant).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A small well-formed PDF (header, one object, trailer).</summary>
    public static byte[] Pdf(int i) => Encoding.ASCII.GetBytes($"%PDF-1.4\n1 0 obj << /Type /Catalog /Demo {i} >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public async Task OkAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using (response)
        {
            if (response.StatusCode != expected)
            {
                throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            return (await response.Content.ReadFromJsonAsync<T>(Web, cancellationToken))!;
        }
    }
}
