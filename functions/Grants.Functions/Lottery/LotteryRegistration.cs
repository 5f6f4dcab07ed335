using Grants.Functions.Platform.Events;
using Grants.Functions.Platform;
using Grants.Functions.Platform.Work;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Lottery;

/// <summary>The Lottery feature's services; its functions are found by the Functions host.</summary>
public static class LotteryRegistration
{
    public static IServiceCollection AddLottery(this IServiceCollection services, IConfiguration configuration) => services
        .BindOptions<LotteryOptions>(configuration, LotteryOptions.SectionName)
        .AddSingleton<PoolStore>()
        .AddSingleton<FreezePoolHandler>()
        .AddSingleton<ProtocolStore>()
        .AddSingleton<AnnouncementStore>()
        .AddSingleton<DrawStandings>()
        .AddSingleton<Applications.IDrawStandings>(sp => sp.GetRequiredService<DrawStandings>())
        .AddSingleton<DrawPublication>()
        .AddSingleton<Platform.Work.IBatchWork>(sp => sp.GetRequiredService<DrawPublication>())
        .AddSingleton<Platform.Work.IBatchWork, DrawWork>()
        .AddOperationOn(Domain.Rounds.RoundEvents.DrawRequested, DrawWork.Kind)
        .AddSingleton<IEventSubscriber, PublishDrawOnDrawPublished>()
        .AddSingleton<Platform.Work.IBatchWork, PoolFreeze>()
        .AddOperationOn(Domain.Rounds.RoundEvents.PoolFreezeRequested, PoolFreeze.Kind)
        .AddSingleton<Platform.Work.IBatchWork, CutoffMoveWork>()
        .AddOperationOn(Domain.Rounds.RoundEvents.CutoffMoved, CutoffMoveWork.Kind)
        .AddSingleton<ReserveList>()
        .AddSingleton<IEventSubscriber, AnnounceAnalysisPlan>()
        .AddSingleton<IEventSubscriber, ReleasePlace>()
        .AddSingleton<CommitSeedHandler>()
        .AddSingleton<RevealSeedHandler>()
        .AddSingleton<DrawLotteryHandler>()
        .AddSingleton<ConfirmLotteryPublicationHandler>()
        .AddSingleton<RedrawLotteryHandler>()
        .AddSingleton<GetLotteryProtocolHandler>()
        .AddSingleton<VerifyLotteryHandler>()
        .AddSingleton<GetLotteryBalanceHandler>()
        .AddSingleton<TopUpBudgetHandler>()
        .AddSingleton<PreviewTopUpHandler>();
}
