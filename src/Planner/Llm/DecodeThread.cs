using System.Collections.Concurrent;

namespace Planner.Llm;

/// <summary>A thread of its own for a model's llama.cpp calls that compute (loading, decoding, sampling).
/// <para>Why: the bundled llama.cpp spreads each decode over its threads with GNU OpenMP, which keeps a pool of worker
/// threads for every thread that calls it, and makes idle workers sleep almost at once (instead of spinning for the
/// next step) when the process holds more OpenMP threads than there are cores. Called from the .NET thread pool, every
/// pool thread that ever decoded kept a pool of its own, and decoding with two threads on two cores was hardly faster
/// than with one; with every decode on one thread, two threads were clearly faster (docs/benchmarks.md, "Engine:
/// decoding near the memory roofline").</para></summary>
internal sealed class DecodeThread : IDisposable
{
    private static int made;
    private readonly BlockingCollection<Action> work = new();
    private readonly Thread thread;

    /// <summary>A name of its own in the process ("llm decode 7"), short enough to stay whole in the operating system's
    /// 15 characters; llama.cpp's OpenMP workers started from this thread carry it too.</summary>
    public string Name { get; }

    public DecodeThread()
    {
        Name = $"llm decode {Interlocked.Increment(ref made)}";
        // llama.cpp's graph code and grammar sampling run on this stack: more than .NET's default for a new thread.
        thread = new Thread(Run, 16 * 1024 * 1024) { IsBackground = true, Name = Name };
        thread.Start();
    }

    private void Run()
    {
        foreach (var action in work.GetConsumingEnumerable()) action();
    }

    /// <summary>Runs <paramref name="compute"/> on this thread; the caller's continuation runs elsewhere, so the thread
    /// is free for the next call at once.</summary>
    public Task<T> RunAsync<T>(Func<T> compute)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        work.Add(() =>
        {
            try
            {
                done.SetResult(compute());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    /// <summary>Runs <paramref name="compute"/> on this thread and waits for it (directly when called on it).</summary>
    public T Run<T>(Func<T> compute) =>
        Environment.CurrentManagedThreadId == thread.ManagedThreadId ? compute() : RunAsync(compute).GetAwaiter().GetResult();

    /// <summary>Finishes the calls already queued, then ends the thread (and with it, its OpenMP pool).</summary>
    public void Dispose()
    {
        work.CompleteAdding();
        if (Environment.CurrentManagedThreadId == thread.ManagedThreadId) return; // it ends after this call
        thread.Join();
        work.Dispose();
    }
}
