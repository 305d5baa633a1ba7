namespace Planner.Files;

/// <summary>Writes a file so that readers see the old content or the new, never half of it: temp file in the same
/// folder, flushed to disk, then renamed over the target.</summary>
public static class AtomicFile
{
    /// <summary>The synchronous form, for callers that must not block on async I/O (e.g. on a UI synchronisation context).</summary>
    public static void WriteAllBytes(string path, byte[] content)
    {
        var (full, temp) = Prepare(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.WriteThrough))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static async Task WriteAllBytesAsync(string path, byte[] content, CancellationToken ct = default)
    {
        var (full, temp) = Prepare(path);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.WriteThrough))
            {
                await stream.WriteAsync(content, ct);
                await stream.FlushAsync(ct);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The target's full path and a temp name beside it; the folder is created if needed.</summary>
    private static (string Full, string Temp) Prepare(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new IOException($"Cannot write {full}: it is a folder, not a file.");
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        return (full, Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp"));
    }
}
