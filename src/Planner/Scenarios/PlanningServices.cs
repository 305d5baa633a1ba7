using Microsoft.Extensions.DependencyInjection;
using Planner.Scheduling;

namespace Planner.Scenarios;

public static class PlanningServices
{
    /// <summary>Registers the scheduler (<see cref="IScheduler"/>: CP-SAT) and the scenario runner on top of it.</summary>
    public static IServiceCollection AddPlannerPlanning(this IServiceCollection services)
    {
        services.AddSingleton<IScheduler, CpSatScheduler>();
        services.AddSingleton<ScenarioRunner>();
        return services;
    }
}
