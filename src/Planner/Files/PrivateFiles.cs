using System.Runtime.InteropServices;

namespace Planner.Files;

/// <summary>Everything Planner writes is the founder's alone: the process's file-creation mask becomes 077, so every
/// file and folder it creates — the database and its journal, documents, the search index, keys, runs, models,
/// exports — is readable by its owner only (files 0600, folders 0700), whoever creates it (SQLite, Lucene and libtorch
/// included); and the data directory itself is made 0700, also when it already existed. Nothing on Windows, where
/// folders inherit the user profile's permissions.</summary>
public static partial class PrivateFiles
{
    private const uint OwnerOnly = 0x3F; // umask 077: no permission for group and others

    /// <summary>Sets the mask for this process and makes <paramref name="dataDirectory"/> (created when missing) owner-only.</summary>
    public static void Apply(string dataDirectory)
    {
        if (OperatingSystem.IsWindows()) return;
        _ = Umask(OwnerOnly);
        Directory.CreateDirectory(dataDirectory);
        File.SetUnixFileMode(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Sets the mask for this process only, for hosts that resolve their data directory later.</summary>
    public static void ApplyMask()
    {
        if (!OperatingSystem.IsWindows()) _ = Umask(OwnerOnly);
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
}
