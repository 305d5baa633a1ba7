using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Planner.Files;

namespace Planner.Llm;

public static class LlmServices
{
    /// <summary>Registers the chat backends (local model runtime, OpenAI-compatible endpoint) with their settings kept
    /// in the database, and configures llama.cpp's native library now, so a wrong <see cref="LlamaNativeLibrary.ConfigurationKey"/>
    /// stops start-up with a clear message. Needs <c>AddPlannerPersistence</c> (the database and the data directory's paths).</summary>
    public static IServiceCollection AddPlannerLlm(this IServiceCollection services, IConfiguration configuration)
    {
        LlamaNativeLibrary.Configure(configuration[LlamaNativeLibrary.ConfigurationKey]);
        services.AddSingleton(sp => ModelRegistry.For(sp.GetRequiredService<PlannerPaths>()));
        services.AddSingleton(sp => new LlmSettingsStore(sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Persistence.PlannerDbContext>>(), sp.GetRequiredService<PlannerPaths>()));
        services.AddSingleton(sp => new ModelRecords(sp.GetRequiredService<PlannerPaths>()));
        services.AddSingleton(sp =>
        {
            var runtime = new LanguageModelRuntime(sp.GetRequiredService<ModelRegistry>(), sp.GetRequiredService<LlmSettingsStore>());
            runtime.Generated += sp.GetRequiredService<ModelRecords>().Measured;
            return runtime;
        });
        services.AddSingleton(sp => new ChatBackendProvider(sp.GetRequiredService<LanguageModelRuntime>(), sp.GetRequiredService<LlmSettingsStore>(),
            OpenAiCompatibilityHandler.CreateClient()));
        services.AddSingleton<IChatBackendProvider>(sp => sp.GetRequiredService<ChatBackendProvider>());
        return services;
    }
}
