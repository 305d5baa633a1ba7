namespace Planner.Llm;

/// <summary>First come, first served turns for up to <see cref="Limit"/> holders at once; the others wait in order and
/// can see their place. Written here because <see cref="SemaphoreSlim"/> cannot change its count while in use (the
/// founder changes the number of parallel requests with the model loaded) and does not promise FIFO order.</summary>
internal sealed class TurnQueue(int limit)
{
    private readonly Lock gate = new();
    private readonly LinkedList<TaskCompletionSource> waiters = new();
    private int active;
    private int limit = Math.Max(1, limit);

    /// <summary>How many may hold a turn at once. Raising it lets waiters in at once; lowering it lets running turns finish.</summary>
    public int Limit
    {
        get { lock (gate) return limit; }
        set
        {
            List<TaskCompletionSource> wake;
            lock (gate)
            {
                limit = Math.Max(1, value);
                wake = Admit();
            }
            foreach (var w in wake) w.TrySetResult();
        }
    }

    public int Active
    {
        get { lock (gate) return active; }
    }

    public int Waiting
    {
        get { lock (gate) return waiters.Count; }
    }

    /// <summary>True when a caller arriving now would get a turn without waiting.</summary>
    public bool HasFreeTurn
    {
        get { lock (gate) return active < limit && waiters.Count == 0; }
    }

    /// <summary>Waits for a turn; every completed call must be paired with one <see cref="Leave"/>. Cancelled while
    /// waiting, it gives up its place and throws.</summary>
    public async Task EnterAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        TaskCompletionSource waiter;
        LinkedListNode<TaskCompletionSource> place;
        lock (gate)
        {
            if (active < limit && waiters.Count == 0)
            {
                active++;
                return;
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            place = waiters.AddLast(waiter);
        }
        await using var _ = ct.Register(() =>
        {
            bool removed;
            lock (gate)
            {
                removed = place.List is not null; // still waiting (not admitted in the meantime)
                if (removed) waiters.Remove(place);
            }
            if (removed) waiter.TrySetCanceled(ct);
        });
        await waiter.Task;
    }

    public void Leave()
    {
        List<TaskCompletionSource> wake;
        lock (gate)
        {
            if (active == 0) throw new InvalidOperationException("Leave without a turn.");
            active--;
            wake = Admit();
        }
        foreach (var w in wake) w.TrySetResult();
    }

    private List<TaskCompletionSource> Admit()
    {
        var wake = new List<TaskCompletionSource>();
        while (active < limit && waiters.First is { } first)
        {
            waiters.RemoveFirst();
            active++;
            wake.Add(first.Value);
        }
        return wake;
    }
}
