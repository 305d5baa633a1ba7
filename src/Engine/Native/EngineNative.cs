namespace Planner.Engine.Native;

/// <summary>The native set-up of a process that runs the Engine, applied by its host at start-up from
/// <see cref="EngineNativeOptions"/> — never as a side effect of building a model: MKL's kernel choice (once per
/// process, before the first multiply), libtorch's CPU threads, and whether training holds <see cref="NativeHeap"/>; and
/// it finds out whether the C heap's memory comes in huge pages (<see cref="HugePages"/>), which only the process's
/// start can change.</summary>
public static class EngineNative
{
    private static readonly Lock Gate = new();
    private static EngineNativeOptions? options;
    private static EngineNativeStatus? status;

    /// <summary>The set-up applied in this process; null before <see cref="Apply"/>.</summary>
    public static EngineNativeStatus? Status
    {
        get { lock (Gate) return status; }
    }

    /// <summary>Applies <paramref name="chosen"/>. MKL's choice is settled by the first call in a process (MKL decides
    /// once); threads and the training heap follow the latest call.</summary>
    public static EngineNativeStatus Apply(EngineNativeOptions chosen)
    {
        lock (Gate)
        {
            var mkl = MklDispatch.Apply(chosen.InterposeMklVendorCheck, chosen.MklVendorCheckSource);
            TorchSharp.torch.set_num_threads(chosen.Threads);
            options = chosen;
            status = new EngineNativeStatus(mkl, chosen.Threads, chosen.KeepTrainingHeap, NativeHeap.Available, HugePages.Status);
            return status;
        }
    }

    /// <summary>Sets the configured CPU threads on the calling thread (libtorch keeps OpenMP's count per thread, and a
    /// run trains on a thread of its own); nothing before <see cref="Apply"/>.</summary>
    public static void PrepareTrainingThread()
    {
        EngineNativeOptions? chosen;
        lock (Gate) chosen = options;
        if (chosen is not null) TorchSharp.torch.set_num_threads(chosen.Threads);
    }

    /// <summary>Holds <see cref="NativeHeap"/> for a training run when the host chose to; null (nothing held) otherwise.</summary>
    public static IDisposable? HoldTrainingHeap()
    {
        EngineNativeOptions? chosen;
        lock (Gate) chosen = options;
        return chosen is { KeepTrainingHeap: true } ? NativeHeap.KeepForTraining() : null;
    }
}
