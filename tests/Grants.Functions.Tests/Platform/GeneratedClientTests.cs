using Grants.Client;
using Grants.Client.Models;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// The .NET client generated from the published document (clients/dotnet/Grants.Client, Kiota) works against the
/// API: typed requests and responses, closed sets as enums, and each problem as the typed error its response declares.
/// </summary>
public sealed class GeneratedClientTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AMinistryUserCreatesReadsAndRetiresASchemeThroughTheGeneratedClient()
    {
        using var http = api.As(Roles.Ministry);
        var client = Client(http);
        var name = $"Client scheme {Guid.NewGuid():N}"[..30];

        var created = await client.Api.Schemes.PostAsync(new CreateSchemeRequest { Name = name, Instrument = CreateSchemeRequest_instrument.Voucher }, cancellationToken: Ct);
        var read = await client.Api.Schemes[created!.Id].GetAsync(cancellationToken: Ct);
        var retired = await client.Api.Schemes[created.Id].Retire.PostAsync(new RetireSchemeRequest { Reason = "Merged into the 2010 scheme" }, cancellationToken: Ct);

        Assert.Equal((name, SchemeResponse_instrument.Voucher, SchemeResponse_status.Active), (read!.Name, read.Instrument, read.Status));
        Assert.Equal(SchemeResponse_status.Retired, retired!.Status);
    }

    [Fact]
    public async Task AProblemArrivesAsTheTypedErrorItsResponseDeclares()
    {
        using var http = api.As(Roles.Ministry);
        var client = Client(http);

        var missing = await Assert.ThrowsAsync<Problem404NotFound>(() => client.Api.Schemes[$"scheme-{new string('0', 32)}"].GetAsync(cancellationToken: Ct));
        var invalid = await Assert.ThrowsAsync<Problem422IdempotencyKeyReusedValidationFailed>(() =>
            client.Api.Schemes.PostAsync(new CreateSchemeRequest { Name = "", Instrument = CreateSchemeRequest_instrument.ProjectSubsidy }, cancellationToken: Ct));

        Assert.Equal((404, Problem404NotFound_type.UrnGrantsProblemNotFound), (missing.ResponseStatusCode, missing.Type));
        Assert.Equal(422, invalid.ResponseStatusCode);
    }

    private static GrantsApiClient Client(HttpClient http) =>
        new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') });
}
