using Microsoft.Extensions.DependencyInjection;
using Planner.Hosting.Evidence;
using Planner.Hosting.Hub;
using Planner.Hosting.Training;

namespace Planner.Hosting;

public static class HostingServices
{
    /// <summary>Registers the training queue (a hosted service), model export, review evidence and model downloads for a long-running
    /// host. Needs <c>AddPlannerPersistence</c> and <c>AddPlannerLlm</c>.</summary>
    public static IServiceCollection AddPlannerTraining(this IServiceCollection services)
    {
        services.AddSingleton<ModelExport>();
        services.AddSingleton<TrainingJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<TrainingJobs>());
        services.AddSingleton<ReviewEvidenceService>();
        services.AddSingleton<ModelDownloads>();
        return services;
    }
}
