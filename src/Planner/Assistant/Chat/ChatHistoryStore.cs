using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Planner.Files;

namespace Planner.Assistant.Chat;

/// <summary>Each workspace's chat, one JSON file per workspace under data/app/chats (the name is a hash of the
/// workspace name, so no user text reaches the file system). A file rather than tables: a chat is read and written
/// whole, and the atomic replace keeps it intact if the process dies mid-write. Writes are serialised per process.</summary>
public sealed class ChatHistoryStore(PlannerPaths paths) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };
    private readonly SemaphoreSlim gate = new(1, 1);

    public string Folder => Path.Combine(paths.DataDirectory, "chats");

    private string FileOf(string workspace) =>
        Path.Combine(Folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(workspace)))[..24] + ".json");

    public async Task<IReadOnlyList<ChatEntry>> LoadAsync(string workspace, CancellationToken ct = default)
    {
        var file = FileOf(workspace);
        if (!File.Exists(file)) return [];
        await using var stream = File.OpenRead(file);
        return await JsonSerializer.DeserializeAsync<List<ChatEntry>>(stream, Json, ct) ?? [];
    }

    public async Task AppendAsync(string workspace, IEnumerable<ChatEntry> entries, CancellationToken ct = default)
    {
        await gate.WaitAsync(ct);
        try
        {
            var all = (await LoadAsync(workspace, ct)).Concat(entries).ToList();
            await AtomicFile.WriteAllBytesAsync(FileOf(workspace), JsonSerializer.SerializeToUtf8Bytes(all, Json), ct);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task ClearAsync(string workspace, CancellationToken ct = default)
    {
        await gate.WaitAsync(ct);
        try
        {
            File.Delete(FileOf(workspace));
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();
}
