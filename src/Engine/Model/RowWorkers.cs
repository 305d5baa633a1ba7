using System.Diagnostics;
using Planner.Engine.Native;

namespace Planner.Engine.Model;

/// <summary>
/// Helper threads for the split row products of a decoding step (<see cref="RowProduct"/>). A step is dozens of
/// products, the smallest of them only tens of microseconds of reading; handing a part to a thread-pool thread that has
/// gone to sleep costs a wake-up of that order each time. These threads instead spin for a short while after each part,
/// as OpenMP's workers do between libtorch's operations, so the next product of the step finds them awake; after
/// <see cref="SpinTime"/> without work they block and cost nothing until the next product. docs/benchmarks.md has the
/// figures ("Engine: decoding near the memory roofline").
/// </summary>
internal static class RowWorkers
{
    /// <summary>How long a helper spins for the next part before it blocks: longer than the gap between two products of
    /// a decoding step (the step's other operations), far shorter than anything a person notices.</summary>
    internal static readonly TimeSpan SpinTime = TimeSpan.FromMilliseconds(1);

    /// <summary>False: every split goes to the thread pool, as before these helpers (the Engine bench's side-by-side).</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>The most helper threads made: a split into more parts (a thread count set above the cores) runs on
    /// the thread pool instead, so that no caller can make threads without bound (each helper lives as long as the process).</summary>
    internal static readonly int MostHelpers = Math.Max(8, 2 * Environment.ProcessorCount);

    private static readonly Lock Posting = new();
    private static readonly List<Helper> Helpers = [];

    /// <summary>The helper threads made so far.</summary>
    internal static int HelperCount => Helpers.Count;

    /// <summary>Runs <paramref name="part"/>(0..<paramref name="parts"/>-1): part 0 on the calling thread, the others on
    /// helpers (on the thread pool while another caller holds them, or beyond <see cref="MostHelpers"/>), and returns
    /// when all are done. Every part runs even when one fails; the first failure is then rethrown here (in an
    /// <see cref="AggregateException"/>).</summary>
    public static void Run(int parts, Action<int> part)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        if (parts == 1)
        {
            part(0);
            return;
        }
        // One caller at a time uses the helpers; another caller meanwhile (two generations at once) runs on the pool.
        if (!Enabled || parts - 1 > MostHelpers || !Posting.TryEnter())
        {
            // Parallel.For stops starting parts after a failure: each part's failure is caught so that all of them run,
            // as on the helpers.
            Exception? failed = null;
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, i =>
            {
                try
                {
                    part(i);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failed, e, null);
                }
            });
            if (failed is not null) throw new AggregateException(failed);
            return;
        }
        try
        {
            while (Helpers.Count < parts - 1) Helpers.Add(new Helper(Helpers.Count + 1));
            for (var i = 1; i < parts; i++)
            {
                var index = i;
                Helpers[i - 1].Post(() => part(index));
            }
            Exception? first = null;
            try
            {
                part(0);
            }
            catch (Exception e)
            {
                first = e;
            }
            for (var i = 1; i < parts; i++)
            {
                var failure = Helpers[i - 1].Finish(); // every helper is waited for, whatever failed before
                first ??= failure;
            }
            if (first is not null) throw new AggregateException(first);
        }
        finally
        {
            Posting.Exit();
        }
    }

    /// <summary>One background thread and its one-job mailbox.</summary>
    private sealed class Helper
    {
        private readonly object gate = new(); // Monitor.Wait needs an object, not a Lock
        private Action? job;
        private Exception? failure;
        private long posted, done;
        private int sleeping;

        public Helper(int number)
        {
            new Thread(Loop) { IsBackground = true, Name = $"Planner row products {number}" }.Start();
        }

        public void Post(Action work)
        {
            job = work;
            failure = null;
            Interlocked.Increment(ref posted); // a full fence: the job is visible before the count, and before reading sleeping
            if (Volatile.Read(ref sleeping) == 1)
                lock (gate) Monitor.PulseAll(gate);
        }

        /// <summary>Waits (spinning: the part is about as long as the caller's own) until the posted job is done.</summary>
        public Exception? Finish()
        {
            var spinner = new SpinWait();
            while (Volatile.Read(ref done) != Volatile.Read(ref posted)) spinner.SpinOnce(sleep1Threshold: -1);
            return failure;
        }

        private void Loop()
        {
            long seen = 0;
            while (true)
            {
                var idleSince = Stopwatch.GetTimestamp();
                while (Volatile.Read(ref posted) == seen)
                {
                    if (Stopwatch.GetElapsedTime(idleSince) < SpinTime)
                    {
                        Thread.SpinWait(16);
                        continue;
                    }
                    lock (gate)
                    {
                        Interlocked.Exchange(ref sleeping, 1); // a full fence before reading posted again (see Post)
                        while (Volatile.Read(ref posted) == seen) Monitor.Wait(gate);
                        Volatile.Write(ref sleeping, 0);
                    }
                }
                seen = Volatile.Read(ref posted);
                try
                {
                    job!();
                }
                catch (Exception e)
                {
                    failure = e;
                }
                job = null;
                Volatile.Write(ref done, seen);
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> on <paramref name="parts"/> threads: the calling thread alone for one; else
    /// libtorch's team where it is found (and <paramref name="onTeam"/>), whose workers spin for libtorch's next operation
    /// and so would compete with helper threads; else these helper threads.</summary>
    public static void RunParts(int parts, Action body, bool onTeam = true)
    {
        if (parts == 1) body();
        else if (onTeam && OpenMpTeam.Available) OpenMpTeam.Run(parts, body);
        else Run(parts, _ => body());
    }

    /// <summary>Runs <paramref name="item"/>(0..<paramref name="items"/>-1), the items taken in turn by up to
    /// <paramref name="threads"/> parts (<see cref="RunParts"/>); each part takes its items in rising order. A result
    /// kept per item and combined in item order does not depend on how the items were shared.</summary>
    public static void ForEach(long items, int threads, Action<long> item)
    {
        if (items <= 0) return;
        var next = -1L;
        RunParts((int)Math.Clamp(threads, 1, items), () =>
        {
            for (long i; (i = Interlocked.Increment(ref next)) < items;) item(i);
        });
    }
}
