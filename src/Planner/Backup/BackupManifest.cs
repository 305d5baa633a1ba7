using System.Text.Json;

namespace Planner.Backup;

/// <summary><c>manifest.json</c> at the root of a backup archive: what made it, when, and every other entry with its
/// size and SHA-256, so a restore can prove the archive is whole before it writes anything.</summary>
public sealed record BackupManifest(string Format, string AppVersion, DateTime CreatedUtc, bool IncludesModels, IReadOnlyList<BackupEntry> Files)
{
    public const string CurrentFormat = "planner-backup/1";
    public const string EntryName = "manifest.json";

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
