namespace Planner.Web.Access;

/// <summary>Locks sign-in for the one administrator account after <see cref="MaxFailures"/> wrong passwords within
/// <see cref="Window"/>, for <see cref="LockTime"/> after the last of them — from any number of addresses, which the
/// per-address rate limit alone does not stop (Grafana's brute-force protection works the same way). While locked,
/// even the right password is refused: a guesser cannot tell when it was right. Kept in memory: a restart unlocks.</summary>
public sealed class SignInLockout(TimeProvider time)
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan LockTime = TimeSpan.FromMinutes(5);

    private readonly Queue<DateTimeOffset> failures = new();
    private readonly Lock gate = new();
    private DateTimeOffset lockedUntil = DateTimeOffset.MinValue;

    /// <summary>When sign-in opens again, or null when it is open now.</summary>
    public DateTimeOffset? LockedUntil()
    {
        lock (gate) return time.GetUtcNow() < lockedUntil ? lockedUntil : null;
    }

    public void RecordFailure()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            failures.Enqueue(now);
            while (failures.Count > 0 && now - failures.Peek() >= Window) failures.Dequeue();
            if (failures.Count >= MaxFailures) lockedUntil = now + LockTime;
        }
    }

    public void RecordSuccess()
    {
        lock (gate) failures.Clear();
    }
}
