namespace Planner.Engine.Native;

/// <summary>What <see cref="EngineNative.Apply"/> set up, for a host's log, health line and the CLI.</summary>
public sealed record EngineNativeStatus(MklDispatchStatus Mkl, int Threads, bool KeepTrainingHeap, bool HeapTunable, HugePagesStatus HugePages)
{
    /// <summary>One line: MKL's kernels, the threads, huge pages and the training heap.</summary>
    public string Describe() =>
        $"CPU kernels: {Mkl.Description} Threads: {Threads}. {HugePages.Description} Training heap: " +
        (!HeapTunable ? "not tunable here (glibc only)." : KeepTrainingHeap ? "kept while a run trains." : "glibc's own settings (not kept).");

    /// <summary>A few words for a health line: "MKL interposed, 2 threads, huge pages asked, training heap kept".</summary>
    public string Summary() =>
        $"MKL {Mkl.Outcome.ToString().ToLowerInvariant()}, {Threads} thread{(Threads == 1 ? "" : "s")}, huge pages {HugePagesWords()}, " +
        $"training heap {(HeapTunable && KeepTrainingHeap ? "kept" : "off")}";

    private string HugePagesWords() => HugePages.Outcome switch
    {
        HugePagesOutcome.Asked => "asked",
        HugePagesOutcome.KernelAlways => "always",
        HugePagesOutcome.NotAsked => "not asked",
        _ => "none",
    };
}
