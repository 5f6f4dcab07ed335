using Grants.Domain.Schemes;
using Grants.Tests;

namespace Grants.Domain.Tests;

/// <summary>The diagrams in docs/diagrams are generated from the state machines; this fails when they drift.</summary>
public sealed class StateDiagramTests
{
    public static TheoryData<string> Machines => new() { "scheme", "round", "application", "assessment", "survey", "voucher", "grant", "payment", "report" };

    [Theory]
    [MemberData(nameof(Machines))]
    public void CommittedDiagramMatchesMachine(string machine)
    {
        var generated = Generate(machine);
        var path = Path.Combine(RepositoryPaths.Root, "docs", "diagrams", $"{machine}.mmd");
        if (Environment.GetEnvironmentVariable("GRANTS_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests with GRANTS_UPDATE_DOCS=1 to write it.");
        Assert.Equal(generated, File.ReadAllText(path));
    }

    private static string Generate(string machine) => machine switch
    {
        "scheme" => Scheme.Diagram() + "\n",
        "round" => Grants.Domain.Rounds.Round.Diagram() + "\n",
        "application" => Grants.Domain.Applications.Application.Diagram() + "\n",
        "assessment" => Grants.Domain.Assessments.Assessment.Diagram() + "\n",
        "survey" => Grants.Domain.FollowUp.Survey.Diagram() + "\n",
        "voucher" => Grants.Domain.Vouchers.Voucher.Diagram() + "\n",
        "grant" => Grants.Domain.Execution.GrantAgreement.Diagram() + "\n",
        "payment" => Grants.Domain.Execution.ExecutionMachines.PaymentDiagram() + "\n",
        "report" => Grants.Domain.Execution.ExecutionMachines.ReportDiagram() + "\n",
        _ => throw new ArgumentOutOfRangeException(nameof(machine)),
    };
}
