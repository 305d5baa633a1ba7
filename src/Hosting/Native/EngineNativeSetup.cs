using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Planner.Engine.Native;

namespace Planner.Hosting.Native;

/// <summary>A host's start-up step for the Engine's native side: reads <see cref="EngineNativeOptions"/> from the
/// host's configuration (<c>Planner:Engine:*</c>, with the legacy environment variable as an alias), applies them
/// before anything multiplies, and logs what was done.</summary>
public static class EngineNativeSetup
{
    /// <param name="trainingProcess">True for a process that exists to train (<c>planner train</c>): it keeps the
    /// training heap unless configured otherwise. A server shares its process with other work and opts in.</param>
    /// <exception cref="ArgumentException">A setting that is not understood, named with the values it takes.</exception>
    public static EngineNativeStatus Apply(IConfiguration configuration, bool trainingProcess, ILogger? logger = null)
    {
        var options = EngineNativeOptions.Read(key => configuration[key], keepTrainingHeapByDefault: trainingProcess);
        var status = EngineNative.Apply(options);
        logger?.LogInformation("Engine native set-up: {Engine}", status.Describe());
        return status;
    }
}
