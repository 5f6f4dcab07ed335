using System.CommandLine;
using Grants.Cli.Commands;

var root = new RootCommand("grants: run and operate the Grants grant-programme backend")
{
    UpCommand.Create(),
    DevTokenCommand.Create(),
    LotteryCommand.Create(),
    EvaluateCommand.Create(),
    DemoCommand.Create(),
    StorageCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
