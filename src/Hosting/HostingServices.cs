using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Planner.Files;
using Planner.Hosting.Evidence;
using Planner.Hosting.Hub;
using Planner.Hosting.Training;

namespace Planner.Hosting;

public static class HostingServices
{
    /// <summary>Seconds between looks at the runs folder for what other instances sharing the data directory did
    /// (<see cref="TrainingJobs.LookAroundInterval"/>); 0 turns it off.</summary>
    public const string LookAroundSecondsKey = "Planner:Training:LookAroundSeconds";

    /// <summary>Registers the training queue (a hosted service), model export, review evidence and model downloads for a long-running
    /// host. Needs <c>AddPlannerPersistence</c> and <c>AddPlannerLlm</c>.</summary>
    public static IServiceCollection AddPlannerTraining(this IServiceCollection services)
    {
        services.AddSingleton<ModelExport>();
        services.AddSingleton(sp => new TrainingJobs(sp.GetRequiredService<PlannerPaths>(), sp.GetRequiredService<ModelExport>(),
            sp.GetRequiredService<ILogger<TrainingJobs>>())
        {
            LookAroundInterval = TimeSpan.FromSeconds(
                double.TryParse(sp.GetRequiredService<IConfiguration>()[LookAroundSecondsKey], System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
                    ? seconds
                    : 5),
        });
        services.AddHostedService(sp => sp.GetRequiredService<TrainingJobs>());
        services.AddSingleton<ReviewEvidenceService>();
        services.AddSingleton<ReviewLabelling>();
        services.AddSingleton<HubTokenStore>();
        services.AddSingleton<ModelDownloads>();
        return services;
    }
}
