using Planner.Files;

namespace Planner.Llm;

/// <summary>The local models: every .gguf file in the configured folders, described from its header. A file that
/// cannot be read is listed with the reason, so the founder sees why it is not offered.</summary>
public sealed class ModelRegistry(IReadOnlyList<string> folders)
{
    /// <summary>Architectures the bundled llama.cpp runs; others are listed but not offered for use.</summary>
    public static readonly string[] SupportedArchitectures = ["gpt2", "llama", "qwen2", "qwen3", "phi3", "gemma", "gemma2", "gemma3", "mistral", "olmo", "smollm3"];

    public IReadOnlyList<string> Folders { get; } = folders;

    /// <summary>The registry of a data directory: the founder's models folder, then Planner's own exports.</summary>
    public static ModelRegistry For(PlannerPaths paths) => new([paths.ModelsDirectory, paths.ExportedModelsDirectory]);

    private readonly Lock gate = new();
    private Dictionary<string, (long Length, DateTime WrittenUtc, ModelEntry Entry)> known = new(StringComparer.Ordinal);

    /// <summary>The models now in the folders. Every request asks (the chat, the drafter, the pages), so a file's header
    /// is read once and kept while its size and modification time stay the same.</summary>
    public IReadOnlyList<ModelEntry> Scan()
    {
        var entries = new List<ModelEntry>();
        var seen = new Dictionary<string, (long, DateTime, ModelEntry)>(StringComparer.Ordinal);
        Dictionary<string, (long Length, DateTime WrittenUtc, ModelEntry Entry)> before;
        lock (gate) before = known;
        foreach (var folder in Folders.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.gguf", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var stamp = new FileInfo(file);
                if (!stamp.Exists) continue; // removed since it was listed
                var entry = before.TryGetValue(file, out var cached) && cached.Length == stamp.Length && cached.WrittenUtc == stamp.LastWriteTimeUtc
                    ? cached.Entry
                    : Describe(file);
                seen[file] = (stamp.Length, stamp.LastWriteTimeUtc, entry);
                entries.Add(entry);
            }
        }
        lock (gate) known = seen;
        return entries;
    }

    private static ModelEntry Describe(string file)
    {
        try
        {
            var info = GgufReader.Read(file);
            var supported = info.Architecture is { } a && SupportedArchitectures.Contains(a);
            return new ModelEntry(file, info, supported ? null : $"Architecture '{info.Architecture ?? "none"}' is not supported by the bundled llama.cpp.");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return new ModelEntry(file, null, e.Message);
        }
    }
}

/// <summary>A model file in the registry: its header, or why it cannot be used.</summary>
public sealed record ModelEntry(string Path, GgufInfo? Info, string? Problem)
{
    public string FileName => System.IO.Path.GetFileName(Path);
    public bool Usable => Info is not null && Problem is null;
}
