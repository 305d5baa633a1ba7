namespace Planner.Engine.Native;

/// <summary>
/// libtorch's intra-op threads for one thread of the caller's. libtorch parallelises its CPU operations with GNU
/// OpenMP, whose worker threads spin on their cores for a while after every operation. A decoding step is hundreds of
/// short operations with the Engine's own split products between them (<see cref="Model.RowProduct"/>); spinning
/// workers then hold the cores those products need. <see cref="Alone"/> has the calling thread run libtorch's operations
/// by itself — OpenMP's and MKL's counts for that thread only, as libtorch keeps them per thread — and lets the split
/// products use the cores instead.
/// </summary>
internal static class LibtorchThreads
{
    [ThreadStatic] private static int rowThreads;

    private static readonly Lazy<Functions?> Native = new(Resolve);

    /// <summary>The threads a <see cref="Model.RowProduct"/> on this thread may use: libtorch's count while this thread
    /// runs libtorch alone (<see cref="Alone"/>), else one.</summary>
    public static int ForRowProducts => Math.Max(1, rowThreads);

    /// <summary>Whether <see cref="Alone"/> can set the calling thread's counts in this process (Linux, with libtorch's
    /// OpenMP and MKL found).</summary>
    public static bool Available => Native.Value is not null;

    /// <summary>Until disposed, libtorch's operations on the calling thread run on it alone, and row products split
    /// among the threads libtorch had on it. Nothing changes where the counts cannot be set, or where there was one
    /// thread anyway; other threads are never affected. Dispose on the thread that entered.</summary>
    public static unsafe Scope Alone()
    {
        var threads = TorchSharp.torch.get_num_threads(); // also settles this thread's count first, so it cannot later undo ours
        if (threads < 2 || Native.Value is not { } native) return default;
        ((delegate* unmanaged[Cdecl]<int, void>)native.OpenMpSetThreads)(1);
        var mkl = ((delegate* unmanaged[Cdecl]<int, int>)native.MklSetThreadsLocal)(1);
        var outer = rowThreads;
        rowThreads = threads;
        return new Scope(native, threads, mkl, outer);
    }

    /// <summary>Sets back what <see cref="Alone"/> changed; default: nothing changed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly Functions? native;
        private readonly int threads, mkl, outer;

        internal Scope(Functions native, int threads, int mkl, int outer) => (this.native, this.threads, this.mkl, this.outer) = (native, threads, mkl, outer);

        public unsafe void Dispose()
        {
            if (native is null) return;
            ((delegate* unmanaged[Cdecl]<int, void>)native.OpenMpSetThreads)(threads);
            ((delegate* unmanaged[Cdecl]<int, int>)native.MklSetThreadsLocal)(mkl); // 0: MKL's process-wide count again
            rowThreads = outer;
        }
    }

    internal sealed record Functions(nint OpenMpSetThreads, nint MklSetThreadsLocal);

    /// <summary>libtorch's own copies: <c>omp_set_num_threads</c> of the OpenMP library it loads with it, and MKL's
    /// <c>MKL_Set_Num_Threads_Local</c>, linked into it (found through its handle, which searches its dependencies). MKL's
    /// lower-case symbol is its Fortran entry, which takes the count by reference; the mixed-case one is the C entry
    /// that <c>mkl_set_num_threads_local</c> names in MKL's C header.</summary>
    private static Functions? Resolve() =>
        MklDispatch.LibtorchExport("omp_set_num_threads") is { } omp && MklDispatch.LibtorchExport("MKL_Set_Num_Threads_Local") is { } mkl
            ? new Functions(omp, mkl)
            : null;
}
