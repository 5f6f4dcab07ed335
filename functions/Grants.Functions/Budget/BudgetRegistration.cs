using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Budget;

/// <summary>The Budget feature's services: the round's ledger, which awards, payments and releases post to.</summary>
public static class BudgetRegistration
{
    public static IServiceCollection AddBudget(this IServiceCollection services) => services
        .AddSingleton<BudgetLedgerStore>();
}
