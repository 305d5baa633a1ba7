using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Planner.Engine.Model;
using Planner.Engine.Native;
using Planner.Hosting.Native;

namespace Planner.Hosting.Tests.Native;

/// <summary>Alone: the set-up is process-wide, and runs training in parallel tests would see it change.</summary>
[CollectionDefinition(nameof(EngineNativeSetupTests), DisableParallelization = true)]
public sealed class EngineNativeSetupCollection;

[Collection(nameof(EngineNativeSetupTests))]
public class EngineNativeSetupTests
{
    /// <summary>This test assembly is a host too: its native set-up comes from its environment, before any test multiplies.</summary>
#pragma warning disable CA2255 // a test assembly's one process-wide set-up; xunit 2 has no assembly fixture
    [ModuleInitializer]
    internal static void ApplyFirst() => EngineNativeSetup.Apply(new ConfigurationBuilder().AddEnvironmentVariables().Build(), trainingProcess: false);
#pragma warning restore CA2255

    private sealed class Lines : ILogger
    {
        public List<string> Written { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Written.Add(formatter(state, exception));
    }

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void A_host_applies_its_configuration_and_logs_what_was_done()
    {
        var log = new Lines();
        var status = EngineNativeSetup.Apply(Settings((EngineNativeOptions.TrainingHeapKey, "keep"), (EngineNativeOptions.ThreadsKey, "1")), trainingProcess: false, log);
        Assert.Equal((true, 1), (status.KeepTrainingHeap, status.Threads));
        Assert.Same(status, EngineNative.Status);
        Assert.Equal($"Engine native set-up: {status.Describe()} {TrainingAttention.Description}", Assert.Single(log.Written));
        Assert.StartsWith($"CPU kernels: {MklDispatch.Status!.Description}", status.Describe());
        Assert.Contains("Training heap: kept while a run trains.", status.Describe());
        var attention = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "the Engine's fused kernel in 512-bit vectors"
            : System.Runtime.Intrinsics.X86.Fma.IsSupported && System.Numerics.Vector<float>.Count == 8 ? "the Engine's fused kernel in 256-bit vectors"
            : "libtorch's";
        Assert.StartsWith($"Attention (heads 32 or 64 wide): {attention}", TrainingAttention.Description);

        // A training process keeps the heap unless told not to; a server only when told to.
        Assert.True(EngineNativeSetup.Apply(Settings(), trainingProcess: true).KeepTrainingHeap);
        Assert.False(EngineNativeSetup.Apply(Settings(), trainingProcess: false).KeepTrainingHeap);
        Assert.False(EngineNativeSetup.Apply(Settings((EngineNativeOptions.TrainingHeapKey, "off")), trainingProcess: true).KeepTrainingHeap);
        EngineNativeSetup.Apply(new ConfigurationBuilder().AddEnvironmentVariables().Build(), trainingProcess: false); // as it was
    }

    [Fact]
    public void A_setting_that_is_not_understood_stops_the_host_with_its_name()
    {
        var error = Assert.Throws<ArgumentException>(() => EngineNativeSetup.Apply(Settings((EngineNativeOptions.MklVendorCheckKey, "sometimes")), trainingProcess: false));
        Assert.Equal("Planner:Engine:MklVendorCheck is 'sometimes'; use 'interpose' (MKL's fast kernels on any x86 processor) or 'keep' (MKL's own choice).", error.Message);
    }
}
