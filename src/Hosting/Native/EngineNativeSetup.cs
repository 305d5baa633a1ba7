using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Planner.Engine.Model;
using Planner.Engine.Native;

namespace Planner.Hosting.Native;

/// <summary>A host's start-up step for the Engine's native side: reads <see cref="EngineNativeOptions"/> from the
/// host's configuration (<c>Planner:Engine:*</c>, with the legacy environment variable as an alias), applies them
/// before anything multiplies, and logs what was done.</summary>
public static class EngineNativeSetup
{
    /// <param name="trainingProcess">True for a process that trains (<c>planner train</c>, the web app with its training
    /// jobs): it keeps the training heap unless configured otherwise. The hold is taken only while a run trains; in the
    /// web app it is process-wide then, and measured there it trained as fast or faster with no higher peak and less
    /// memory held after the run, and the work after a run ran as after a run without it (docs/benchmarks.md).</param>
    /// <exception cref="ArgumentException">A setting that is not understood, named with the values it takes.</exception>
    public static EngineNativeStatus Apply(IConfiguration configuration, bool trainingProcess, ILogger? logger = null)
    {
        var options = EngineNativeOptions.Read(key => configuration[key], keepTrainingHeapByDefault: trainingProcess);
        var status = EngineNative.Apply(options);
        logger?.LogInformation("Engine native set-up: {Engine} {Attention}", status.Describe(), TrainingAttention.Description);
        return status;
    }
}
