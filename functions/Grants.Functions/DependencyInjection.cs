using Grants.Functions.Applications;
using Grants.Functions.Assessments;
using Grants.Functions.Budget;
using Grants.Functions.Decisions;
using Grants.Functions.Evaluation;
using Grants.Functions.Execution;
using Grants.Functions.FollowUp;
using Grants.Functions.Lottery;
using Grants.Functions.Monitoring;
using Grants.Functions.OpenData;
using Grants.Functions.Organisations;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Platform.Telemetry;
using Grants.Functions.Retention;
using Grants.Functions.Rounds;
using Grants.Functions.Schemes;
using Grants.Functions.Vouchers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Grants.Functions;

/// <summary>Everything the function classes need; called by Azure Functions' Program and by the local host alike.</summary>
public static class DependencyInjection
{
    public const string ApplicationInsightsSetting = Platform.Telemetry.GrantsTelemetry.ConnectionSetting;

    /// <summary>
    /// Settings the app needs in Azure because their local defaults do not apply there (storage and the
    /// evidence account by identity, the identity providers, mail, its public address, telemetry).
    /// infra/app/function.bicep provides each; a test checks it, and that the Bicep sets nothing the
    /// code does not read.
    /// </summary>
    public static IReadOnlyList<string> RequiredInAzure { get; } =
    [
        "GrantsStorage__tableServiceUri", "GrantsStorage__blobServiceUri", "GrantsStorage__credential", "GrantsStorage__clientId",
        "GrantsEvidence__blobServiceUri", "GrantsEvidence__credential", "GrantsEvidence__clientId",
        "Auth__Staff__Authority", "Auth__Staff__Audience", "Auth__Organisations__Authority", "Auth__Organisations__Audience",
        "Mail__Smtp__Host", "Mail__From", "Mail__MinistryMailbox",
        "FollowUp__PublicBaseUrl",
        "Evaluation__PseudonymKey",
        ApplicationInsightsSetting,
    ];

    public static IHostApplicationBuilder AddGrantsFunctions(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddSingleton(TimeProvider.System);
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName))
            .Validate(o => o.Staff.IsConfigured == !string.IsNullOrWhiteSpace(o.Staff.Audience), "Auth:Staff needs both an Authority and an Audience (the app registration's client id), or neither.")
            .Validate(o => o.Organisations.IsConfigured == !string.IsNullOrWhiteSpace(o.Organisations.Audience), "Auth:Organisations needs both an Authority and an Audience, or neither.")
            // The issuers are looked up when validating, not injected: they read these options themselves.
            .Validate<IServiceProvider>(
                (o, sp) => string.IsNullOrEmpty(o.DevelopmentSigningKey) || sp.GetServices<ITokenIssuer>().Any(i => i.Trust == IssuerTrust.Development),
                "Auth:DevelopmentSigningKey is set, but only the local host accepts development tokens: remove the setting (its holder could act in any role).")
            .ValidateOnStart();
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.SectionName));
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.SectionName));

        services.AddSingleton(new StorageClientOptions());
        services.AddSingleton(sp => new StorageAccount(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<StorageClientOptions>()));
        services.AddSingleton<AggregateStore>();
        services.AddSingleton<RecentAggregates>();
        services.AddSingleton<LookupStore>();
        services.AddSingleton<ITokenIssuer>(sp => new OidcTokenIssuer(() => sp.GetRequiredService<IOptions<AuthOptions>>().Value.Staff, IssuerTrust.Staff, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ITokenIssuer>(sp => new OidcTokenIssuer(() => sp.GetRequiredService<IOptions<AuthOptions>>().Value.Organisations, IssuerTrust.Organisations, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<TokenValidator>();
        services.AddSingleton<IdempotentRequests>();
        services.AddSingleton<RequestGate>();
        services.AddOptions<Platform.Audit.AuditExportOptions>().Bind(configuration.GetSection(Platform.Audit.AuditExportOptions.SectionName))
            .Validate(o => o.Interval >= TimeSpan.FromMinutes(1), $"{Platform.Audit.AuditExportOptions.SectionName}:{nameof(Platform.Audit.AuditExportOptions.Interval)} must be at least a minute.")
            .ValidateOnStart();
        services.AddSingleton<Platform.Audit.AuditExportStore>();
        services.AddSingleton<Platform.Audit.AuditEvidenceExporter>();
        services.AddSingleton<Platform.Audit.AuditTrailVerification>();

        services.AddSingleton<IMailTransport>(sp => string.IsNullOrEmpty(sp.GetRequiredService<IOptions<MailOptions>>().Value.Smtp.Host)
            ? ActivatorUtilities.CreateInstance<PickupDirectoryTransport>(sp)
            : ActivatorUtilities.CreateInstance<SmtpMailTransport>(sp));
        services.AddSingleton<DeadLetters>();
        services.AddSingleton<OutboxIndex>();
        services.AddSingleton<OutboxRelay>();
        // What an operator's `grants storage repair-indexes` writes again (docs/decisions/0018).
        services.AddSingleton<IIndexRepair, MembershipRepair>();
        services.AddSingleton<IIndexRepair>(sp => sp.GetRequiredService<OutboxIndex>());
        services.AddSingleton<IIndexRepair>(sp => sp.GetRequiredService<IdempotentRequests>());

        services.AddSingleton<Platform.Events.EventDispatcher>();
        services.AddSingleton<Platform.Work.WorkQueue>();
        services.AddSingleton<Platform.Work.BackgroundOperations>();
        services.AddSingleton<CommandExecutor>();
        services.AddSchemes();
        services.AddOrganisations();
        services.AddRounds();
        services.AddApplications(configuration);
        services.AddAssessments();
        services.AddBudget();
        services.AddLottery(configuration);
        services.AddDecisions(configuration);
        services.AddVouchers();
        services.AddExecution(configuration);
        services.AddFollowUp(configuration);
        services.AddEvaluation(configuration);
        services.AddMonitoring();
        services.AddOpenData(configuration);
        services.AddRetention(configuration);

        services.AddGrantsTelemetry(configuration);

        return builder;
    }
}
