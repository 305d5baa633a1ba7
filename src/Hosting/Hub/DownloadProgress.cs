namespace Planner.Hosting.Hub;

/// <summary>A download's progress: bytes on disk out of the file's size, the recent speed and the time left at that
/// speed (null until there is a speed to go by). <see cref="ResumedFrom"/> is the byte the download continued from.</summary>
public sealed record DownloadProgress(long Received, long Total, double BytesPerSecond, TimeSpan? Remaining, long ResumedFrom)
{
    public double Fraction => Total == 0 ? 1 : (double)Received / Total;
}
