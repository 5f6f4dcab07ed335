using Grants.Cli.Commands;
using Grants.Domain.Allocation;

namespace Grants.Functions.Tests.Allocation;

/// <summary>
/// <c>grants demo --method fcfs-day</c> at a small size: an opening-day rush for vouchers whose second day is drawn, with a
/// protocol that states every chance and verifies against the announcements it left.
/// </summary>
public sealed class VoucherRushDemoTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheRushFundsTheOpeningDayDrawsTheSecondAndLeavesAVerifiableProtocol()
    {
        var output = Directory.CreateTempSubdirectory("grants-rush-").FullName;
        try
        {
            var log = new StringWriter();
            // 60 applicants: 15 vouchers; 12 apply on the opening day, 48 on the second for the 3 vouchers left.
            Assert.True(await DemoCommand.RunRushAsync(applicants: 60, seed: 3, output, log, Ct) == 0, log.ToString());

            var text = log.ToString();
            Assert.Contains(": 48 applications are drawn for the 2250000 cents left.", text, StringComparison.Ordinal);
            Assert.Contains("12 with chance 1 (exact:ahead); 48 with chance 0.0625 (exact:equal-amounts)", text, StringComparison.Ordinal);
            Assert.Contains("The protocol verifies.", text, StringComparison.Ordinal);
            Assert.Matches(@"fcfs-day\s+randomises\s+48;", text);

            var verify = new StringWriter();
            var request = new VerifyRequest(Path.Combine(output, "lottery-protocol.json"), Announcements: Path.Combine(output, "lottery-announcements.json"));
            Assert.True(await LotteryCommand.VerifyAsync(request, verify, Ct) == 0, verify.ToString());
            Assert.Contains("Matches the announcements of round", verify.ToString(), StringComparison.Ordinal);
            Assert.Contains("and the pool, budgets and what fcfs-day orders it by (priorities ", verify.ToString(), StringComparison.Ordinal);
            Assert.Equal(AllocationMethod.FirstComeFirstServedByDay, Grants.Domain.Lottery.LotteryProtocol.FromJson(await File.ReadAllTextAsync(Path.Combine(output, "lottery-protocol.json"), Ct)).Design.Method);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
