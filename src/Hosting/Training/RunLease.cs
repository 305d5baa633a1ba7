using Planner.Files;

namespace Planner.Hosting.Training;

/// <summary>The right to train one run, for one process at a time: an exclusive lock on the run folder's lease file,
/// held for as long as the run trains here. Instances that share a data directory (several web apps on one PostgreSQL)
/// take it before they start or continue a run, so a queued run runs once; the operating system lets go of it when the
/// process ends, even when killed, and another instance then continues the run from its last checkpoint. The file says
/// who holds it (host and process), for people reading the folder.</summary>
internal sealed class RunLease : IDisposable
{
    private readonly FileStream held;

    private RunLease(FileStream held) => this.held = held;

    /// <summary>Takes the run's lease, or returns null when another process (or another lease in this one) holds it.</summary>
    public static RunLease? TryTake(string runDirectory)
    {
        if (Open(runDirectory) is not { } stream) return null;
        stream.SetLength(0);
        stream.Write(System.Text.Encoding.UTF8.GetBytes($"{Environment.MachineName} process {Environment.ProcessId} since {DateTime.UtcNow:O}\n"));
        stream.Flush();
        return new RunLease(stream);
    }

    /// <summary>True when some process holds the run's lease right now: it is training there.</summary>
    public static bool IsHeld(string runDirectory)
    {
        if (!File.Exists(Path.Combine(runDirectory, PlannerPaths.RunLeaseFileName))) return false;
        using var probe = Open(runDirectory);
        return probe is null;
    }

    private static FileStream? Open(string runDirectory)
    {
        try
        {
            return new FileStream(Path.Combine(runDirectory, PlannerPaths.RunLeaseFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // held elsewhere, or the folder is gone (deleted): either way not ours to train
        }
    }

    public void Dispose() => held.Dispose();
}
