using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Planner.Engine.Native;

/// <summary>
/// Runs the Engine's own parallel work on libtorch's OpenMP team, through <c>GOMP_parallel</c> of the OpenMP library
/// libtorch loads. GNU OpenMP keeps a team per calling thread: on a thread that also runs libtorch's operations (a
/// training thread) it is the team those operations use; another thread gets a team of its own, as libtorch's
/// operations on that thread would. Between libtorch's operations that team's workers spin on the cores waiting for the next parallel
/// region (GNU OpenMP's default); threads of the Engine's own started then compete with them for the same cores, and a
/// kernel split in two ran slower than on one thread in the trainers (docs/benchmarks.md, "Causal attention in one
/// fused kernel"). Handed to the spinning workers as a parallel region of their own, the work starts at once on every
/// core and leaves the workers where libtorch's next operation expects them.
/// </summary>
internal static unsafe class OpenMpTeam
{
    private static readonly Lazy<nint> Parallel = new(Resolve);

    /// <summary>Whether <see cref="Run"/> can use libtorch's team in this process (Linux, libtorch's OpenMP found).</summary>
    public static bool Available => Parallel.Value != 0;

    /// <summary>Runs <paramref name="body"/> once on each of up to <paramref name="threads"/> threads of libtorch's team
    /// (the calling thread among them) and returns when all are done; the first exception any of them threw is then
    /// rethrown here. Callers check <see cref="Available"/> first.</summary>
    public static void Run(int threads, Action body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var region = new Region(body);
        var handle = GCHandle.Alloc(region);
        try
        {
            ((delegate* unmanaged[Cdecl]<delegate* unmanaged[Cdecl]<nint, void>, nint, uint, uint, void>)Parallel.Value)(
                &Member, GCHandle.ToIntPtr(handle), (uint)threads, 0);
        }
        finally
        {
            handle.Free();
        }
        if (region.Failure is { } failure) ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>What each member of the team runs: the body, with any exception kept for the caller (one thrown across
    /// the native frames would end the process).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Member(nint data)
    {
        var region = (Region)GCHandle.FromIntPtr(data).Target!;
        try
        {
            region.Body();
        }
#pragma warning disable CA1031 // every exception goes back to the caller's thread
        catch (Exception e)
#pragma warning restore CA1031
        {
            Interlocked.CompareExchange(ref region.Failure, e, null);
        }
    }

    private sealed class Region(Action body)
    {
        public Action Body { get; } = body;
        public Exception? Failure;
    }

    /// <summary><c>GOMP_parallel(fn, data, num_threads, flags)</c> of the OpenMP library libtorch loads, found through
    /// libtorch's handle (<see cref="MklDispatch.LibtorchExport"/>), as <see cref="LibtorchThreads"/> finds <c>omp_set_num_threads</c>.</summary>
    private static nint Resolve() => MklDispatch.LibtorchExport("GOMP_parallel") ?? 0;
}
