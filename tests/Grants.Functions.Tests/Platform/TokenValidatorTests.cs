using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Tests.Platform;

/// <summary>The validator against two real OIDC issuers of its own, so that their keys and outages are the test's alone.</summary>
public sealed class TokenValidatorTests : IAsyncLifetime
{
    private const string StaffAudience = "11111111-2222-3333-4444-555555555555";
    private const string OrganisationAudience = "grants-portal";
    private OidcIssuerDouble _staff = null!;
    private OidcIssuerDouble _broker = null!;
    private TokenValidator _validator = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _staff = await OidcIssuerDouble.StartAsync();
        _broker = await OidcIssuerDouble.StartAsync();
        var options = new AuthOptions
        {
            Staff = new OidcIssuerOptions { Authority = _staff.Authority, Audience = StaffAudience },
            Organisations = new OidcIssuerOptions { Authority = _broker.Authority + "/", Audience = OrganisationAudience },
        };
        _validator = new TokenValidator(
            [new OidcTokenIssuer(() => options.Staff, IssuerTrust.Staff, TimeProvider.System), new OidcTokenIssuer(() => options.Organisations, IssuerTrust.Organisations, TimeProvider.System)],
            Options.Create(options),
            NullLogger<TokenValidator>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _staff.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task ARotatedSigningKeyIsAcceptedWithinMomentsNotAtTheNextScheduledRefresh()
    {
        Assert.NotNull(await _validator.ValidateAsync(_staff.Issue(StaffAudience, "oid", "a", Roles.Ministry), Ct));
        var readsBefore = _staff.MetadataReads;

        _staff.RotateKey();
        var token = _staff.Issue(StaffAudience, "oid", "b", Roles.Ministry);

        // The unknown key id makes the validator ask the issuer again at once; the library fetches the
        // new keys in the background, so the first attempts may still be refused. The scheduled
        // refresh would come after twelve hours.
        Caller? caller = null;
        for (var attempt = 0; attempt < 50 && caller is null; attempt++)
        {
            caller = await _validator.ValidateAsync(token, Ct);
            if (caller is null)
            {
                await Task.Delay(100, Ct);
            }
        }

        Assert.NotNull(caller);
        Assert.Equal("staff:b", caller.Subject);
        Assert.True(_staff.MetadataReads > readsBefore, "the issuer's keys were not read again for an unknown key id");
    }

    [Fact]
    public async Task AnUnreachableStaffTenantDoesNotStopOrganisationsSigningIn()
    {
        _staff.Unreachable = true;

        var caller = await _validator.ValidateAsync(_broker.Issue(OrganisationAudience, "sub", "eh-1", Roles.Applicant, organisation: "12345678"), Ct);

        Assert.NotNull(caller);
        Assert.Equal("organisations:eh-1", caller.Subject);
        Assert.Equal("12345678", caller.Organisation);
        Assert.Equal([Roles.Applicant], caller.Roles);
        Assert.Null(await _validator.ValidateAsync(_staff.Issue(StaffAudience, "oid", "a", Roles.Ministry), Ct));
    }

    [Fact]
    public async Task RolesAnIssuerMayNotGrantAreDroppedAndTheOthersKept()
    {
        var token = _staff.Issue(StaffAudience, new Dictionary<string, object>
        {
            ["oid"] = "c",
            ["roles"] = new[] { Roles.Assessor, Roles.Applicant, Roles.Supplier },
            ["org"] = "12345678",
        });

        var caller = await _validator.ValidateAsync(token, Ct);

        Assert.NotNull(caller);
        Assert.Equal([Roles.Assessor], caller.Roles);
        Assert.Null(caller.Organisation);
    }

    [Fact]
    public async Task AStaffTokenWithoutAnObjectIdNamesNobody()
    {
        var token = _staff.Issue(StaffAudience, new Dictionary<string, object> { ["sub"] = "pairwise-subject", ["roles"] = new[] { Roles.Ministry } });

        Assert.Null(await _validator.ValidateAsync(token, Ct));
    }

    [Fact]
    public async Task ATokenOfOneIssuerSignedWithTheOthersKeyIsRefused()
    {
        var forged = _broker.Issue(OrganisationAudience, "sub", "eh-2", Roles.Applicant, organisation: "12345678");
        var payload = forged.Split('.');
        var staffSigned = _staff.Issue(OrganisationAudience, "sub", "eh-2", Roles.Applicant, organisation: "12345678").Split('.');

        // The broker's header and claims with a signature by the staff tenant's key.
        Assert.Null(await _validator.ValidateAsync($"{payload[0]}.{payload[1]}.{staffSigned[2]}", Ct));
    }
}
