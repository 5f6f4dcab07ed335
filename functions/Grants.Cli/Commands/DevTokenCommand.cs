using System.CommandLine;
using Grants.Functions.Platform.Identity;
using Grants.LocalHost.Identity;
using Grants.LocalHost.Services;

namespace Grants.Cli.Commands;

/// <summary><c>grants dev-token --role ROLE [--org KVK] [--sub NAME]</c>: a bearer token for the local issuer.</summary>
public static class DevTokenCommand
{
    public static Command Create()
    {
        var role = new Option<string>("--role") { Description = $"One of: {string.Join(", ", Roles.All)}", Required = true };
        role.AcceptOnlyFromAmong([.. Roles.All]);
        var organisation = new Option<string?>("--org") { Description = "KvK number of the organisation an applicant or supplier acts for" };
        var subject = new Option<string?>("--sub") { Description = "Subject (user id); defaults to the role name" };
        var hours = new Option<int>("--hours") { Description = "Lifetime in hours (at least 1)", DefaultValueFactory = _ => 12 };
        hours.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() <= 0)
            {
                result.AddError("--hours must be at least 1: a token that is already expired is of no use.");
            }
        });

        var command = new Command("dev-token", "Print a development bearer token signed with this machine's local key") { role, organisation, subject, hours };
        command.SetAction(parse =>
        {
            var chosenRole = parse.GetValue(role)!;
            Console.WriteLine(Issue(chosenRole, parse.GetValue(organisation), parse.GetValue(subject), TimeSpan.FromHours(parse.GetValue(hours))));
            return 0;
        });
        return command;
    }

    public static string Issue(string role, string? organisation, string? subject, TimeSpan lifetime)
    {
        var options = new AuthOptions { DevelopmentSigningKey = DevelopmentSigningKey.LoadOrCreate(RepositoryRoot.Find()) };
        return DevelopmentTokens.Issue(options, subject ?? role, role, organisation, DateTimeOffset.UtcNow, lifetime);
    }
}
