namespace Planner.Persistence;

/// <summary>One setting of the installation (not of a workspace), kept in the database so every instance of the app on
/// one PostgreSQL, and the CLI, read the same value: the model settings, the hub token. Secrets in it are encrypted by
/// their store before they are written. <see cref="Version"/> grows with each write and is checked on the next one
/// (optimistic concurrency, see <see cref="SharedSettingStore"/>).</summary>
public sealed class StoredSetting
{
    public const int MaxKeyLength = 100;

    public required string Key { get; set; }
    public required string Value { get; set; }
    public int Version { get; set; }
}
