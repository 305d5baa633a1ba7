namespace Planner.Files;

/// <summary>A file an earlier version wrote, to be moved into the database by exactly one process.</summary>
public static class LegacyFile
{
    /// <summary>Renames <paramref name="file"/> to a name only this process knows and returns that name, so of two
    /// instances only one moves it; null when there is no such file (or another instance took it first).</summary>
    public static string? Claim(string file)
    {
        if (!File.Exists(file)) return null;
        var claimed = $"{file}.{Environment.ProcessId}-{Guid.NewGuid():N}.moving";
        try
        {
            File.Move(file, claimed);
            return claimed;
        }
        catch (FileNotFoundException)
        {
            return null; // another instance is moving it
        }
    }
}
