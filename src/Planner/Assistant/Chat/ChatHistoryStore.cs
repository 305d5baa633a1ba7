using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Planner.Files;
using Planner.Persistence;

namespace Planner.Assistant.Chat;

/// <summary>Each workspace's chat, one row per append (an exchange) in the database (<see cref="StoredChatEntry"/>): appends are
/// inserts, so two instances of the app answering at once both keep their messages, and the chat follows the workspace
/// through a rename and goes with it when it is deleted. A chat kept by an earlier version in data/app/chats (one JSON
/// file per workspace, named by a hash of its name) is moved into the database the first time the workspace's chat is
/// read or written.</summary>
public sealed class ChatHistoryStore(IDbContextFactory<PlannerDbContext> factory, PlannerPaths paths)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>Where earlier versions kept chats (read once, then removed).</summary>
    public string LegacyFolder => Path.Combine(paths.DataDirectory, "chats");

    private string LegacyFileOf(string workspace) =>
        Path.Combine(LegacyFolder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(workspace)))[..24] + ".json");

    /// <summary>The workspace's chat in the order it was written; empty for a workspace without one (or without the workspace).</summary>
    public async Task<IReadOnlyList<ChatEntry>> LoadAsync(string workspace, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await db.WorkspaceIdAsync(workspace, ct) is not { } id) return [];
        await MoveLegacyFileAsync(db, workspace, id, ct);
        var rows = await db.ChatEntries.AsNoTracking().Where(e => e.WorkspaceId == id).OrderBy(e => e.Id).Select(e => e.EntryJson).ToListAsync(ct);
        return [.. rows.SelectMany(json => JsonSerializer.Deserialize<List<ChatEntry>>(json, Json)!)];
    }

    /// <summary>Appends <paramref name="entries"/> to the workspace's chat, together (one transaction).</summary>
    /// <exception cref="InvalidOperationException">There is no workspace of that name (deleted meanwhile).</exception>
    public async Task AppendAsync(string workspace, IEnumerable<ChatEntry> entries, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var id = await db.WorkspaceIdAsync(workspace, ct)
                 ?? throw new InvalidOperationException($"There is no workspace named '{workspace}' (deleted meanwhile?); the chat was not saved.");
        await MoveLegacyFileAsync(db, workspace, id, ct);
        // One row per append: a question and its answer stay together even when another instance appends at once.
        db.ChatEntries.Add(new StoredChatEntry { WorkspaceId = id, EntryJson = JsonSerializer.Serialize(entries.ToList(), Json) });
        await db.SaveChangesAsync(ct);
    }

    public async Task ClearAsync(string workspace, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await db.WorkspaceIdAsync(workspace, ct) is not { } id) return;
        if (File.Exists(LegacyFileOf(workspace))) File.Delete(LegacyFileOf(workspace));
        await db.ChatEntries.Where(e => e.WorkspaceId == id).ExecuteDeleteAsync(ct);
    }

    /// <summary>Moves a chat an earlier version kept in a file into the database (before anything else is read or written
    /// for the workspace). The file is first renamed to one only this process knows, so of two instances only one moves it.</summary>
    private async Task MoveLegacyFileAsync(PlannerDbContext db, string workspace, int workspaceId, CancellationToken ct)
    {
        if (LegacyFile.Claim(LegacyFileOf(workspace)) is not { } claimed) return;
        List<ChatEntry> entries;
        await using (var stream = File.OpenRead(claimed))
            entries = await JsonSerializer.DeserializeAsync<List<ChatEntry>>(stream, Json, ct) ?? [];
        db.ChatEntries.Add(new StoredChatEntry { WorkspaceId = workspaceId, EntryJson = JsonSerializer.Serialize(entries, Json) });
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        File.Delete(claimed);
    }
}
