using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Platform;

public sealed class OutboxTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CommittedNoticeIsDeliveredOverSmtpOnceWithItsOwnMessageId()
    {
        using var ministry = api.As(Roles.Ministry, subject: "programme-manager");
        var (scheme, _) = await ministry.CreateAsync();

        await api.Host.Timers.FireAsync(nameof(RelayOutbox), Ct);
        var message = await api.Smtp.WaitForAsync(m => m.Subject == $"Scheme created: {scheme.Name}");
        await api.Host.Timers.FireAsync(nameof(RelayOutbox), Ct);

        Assert.Equal($"{scheme.Id}.1.0@{OutboxRelay.MessageIdDomain}", message.MessageId);
        Assert.Contains("programme-manager", message.TextBody);
        Assert.Single(api.Smtp.Messages, m => m.MessageId == message.MessageId);
    }

    [Fact]
    public async Task TimerCanBeFiredThroughTheAdminRouteLikeCoreTools()
    {
        using var ministry = api.As(Roles.Ministry);
        var (scheme, _) = await ministry.CreateAsync();
        using var client = api.Anonymous();

        var response = await client.PostAsync($"admin/functions/{nameof(RelayOutbox)}", null, Ct);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        await api.Smtp.WaitForAsync(m => m.Subject == $"Scheme created: {scheme.Name}");
    }
}
