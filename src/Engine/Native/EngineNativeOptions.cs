using System.Globalization;

namespace Planner.Engine.Native;

/// <summary>How a host sets up the native side of the Engine for its process: MKL's kernels, libtorch's CPU threads,
/// and whether glibc's allocator keeps large blocks while a run trains. Read from configuration keys
/// <c>Planner:Engine:*</c>; <see cref="LegacyMklVariable"/> is still honoured when the key is not set.</summary>
public sealed record EngineNativeOptions
{
    public const string MklVendorCheckKey = "Planner:Engine:MklVendorCheck";
    public const string ThreadsKey = "Planner:Engine:Threads";
    public const string TrainingHeapKey = "Planner:Engine:TrainingHeap";
    public const string HugePagesKey = "Planner:Engine:HugePages";

    /// <summary>The environment variable that, set to "keep", left MKL's vendor check alone before the configuration key existed.</summary>
    public const string LegacyMklVariable = "PLANNER_MKL_VENDOR_CHECK";

    /// <summary>Tell MKL the processor is an Intel one, so it runs its fast kernels on AMD processors too (<see cref="MklDispatch"/>).</summary>
    public bool InterposeMklVendorCheck { get; init; } = true;

    /// <summary>Where that choice came from (the configuration key, or the legacy variable), for the outcome's words.</summary>
    public string MklVendorCheckSource { get; init; } = MklVendorCheckKey;

    /// <summary>libtorch's CPU threads.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Keep large blocks in glibc's heap while a run trains (<see cref="NativeHeap"/>): process-wide while it
    /// holds. Processes that train keep it by default (<c>planner train</c>, the web app); the others leave it off.</summary>
    public bool KeepTrainingHeap { get; init; }

    /// <summary>The options a host's settings give. <paramref name="setting"/> answers a configuration key (null when
    /// unset); <paramref name="environment"/> an environment variable, for the legacy alias. A value that is not
    /// understood throws an <see cref="ArgumentException"/> whose message names the key and the values it takes.</summary>
    public static EngineNativeOptions Read(Func<string, string?> setting, bool keepTrainingHeapByDefault, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var (mklKey, mklValue) = setting(MklVendorCheckKey) is { Length: > 0 } configured ? (MklVendorCheckKey, configured)
            : environment(LegacyMklVariable) is { Length: > 0 } legacy ? (LegacyMklVariable, legacy)
            : (MklVendorCheckKey, null);
        var interpose = mklValue?.Trim().ToLowerInvariant() switch
        {
            null or "" or "interpose" => true,
            "keep" => false,
            _ => throw new ArgumentException($"{mklKey} is '{mklValue}'; use 'interpose' (MKL's fast kernels on any x86 processor) or 'keep' (MKL's own choice)."),
        };
        var threads = Environment.ProcessorCount;
        if (setting(ThreadsKey) is { Length: > 0 } threadsText)
        {
            if (!int.TryParse(threadsText, NumberStyles.None, CultureInfo.InvariantCulture, out threads) || threads < 1 || threads > 1024)
                throw new ArgumentException($"{ThreadsKey} is '{threadsText}'; give a number of threads from 1 to 1024 (this machine has {Environment.ProcessorCount} cores).");
        }
        var heap = setting(TrainingHeapKey)?.Trim().ToLowerInvariant() switch
        {
            null or "" => keepTrainingHeapByDefault,
            "keep" => true,
            "off" => false,
            var other => throw new ArgumentException($"{TrainingHeapKey} is '{other}'; use 'keep' (large blocks stay in the heap while a run trains) or 'off'."),
        };
        // Acted on at the process's start (HugePages.StartAskingForThem), before configuration files are read: only the
        // environment variable can say it, and the key only checked.
        var hugePages = setting(HugePagesKey);
        if (hugePages?.Trim().ToLowerInvariant() is not (null or "" or "ask" or "off"))
            throw new ArgumentException($"{HugePagesKey} is '{hugePages}'; use 'ask' (a process that trains starts asking glibc for huge pages) or 'off'.");
        if (!string.IsNullOrWhiteSpace(hugePages) && !string.Equals(hugePages.Trim(), environment(HugePages.SettingVariable)?.Trim(), StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{HugePagesKey} acts at the process's start, before configuration files are read: set the environment variable {HugePages.SettingVariable} instead.");
        return new EngineNativeOptions { InterposeMklVendorCheck = interpose, MklVendorCheckSource = mklKey, Threads = threads, KeepTrainingHeap = heap };
    }
}
