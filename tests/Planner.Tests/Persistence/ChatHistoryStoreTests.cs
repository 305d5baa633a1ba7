using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Planner.Assistant.Chat;
using Planner.Persistence;

namespace Planner.Tests.Persistence;

/// <summary>Chat history in the database: shared by instances, kept through a rename, gone with its workspace, and moved
/// in from the file an earlier version kept.</summary>
public sealed class ChatHistoryStoreTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static ChatEntry Said(string role, string text) => new(role, text, new DateTime(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc), []);

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Two_instances_appending_at_once_both_keep_their_messages_in_the_order_each_wrote_them(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var (first, second) = (new ChatHistoryStore(db.Factory(), db.Paths), new ChatHistoryStore(db.Factory(), db.Paths));
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? first : second)
            .AppendAsync("Ledgerloom", [Said("user", $"question {i}"), Said("assistant", $"answer {i}")])));

        var chat = await second.LoadAsync("Ledgerloom");
        Assert.Equal(20, chat.Count);
        for (var i = 0; i < 10; i++)
        {
            var asked = chat.ToList().FindIndex(e => e.Text == $"question {i}");
            Assert.Equal($"answer {i}", chat[asked + 1].Text); // each exchange stays together
        }
        Assert.Empty(await first.LoadAsync("Another workspace"));
    }

    [Fact]
    public async Task The_chat_follows_a_renamed_workspace_goes_with_a_deleted_one_and_cannot_be_written_for_a_missing_one()
    {
        await using var db = await TempDatabase.CreateAsync();
        var chats = new ChatHistoryStore(db.Factory(), db.Paths);
        await chats.AppendAsync("Ledgerloom", [Said("user", "What if billing slips?")]);
        var catalog = new WorkspaceCatalog(db.Factory(), TimeProvider.System);

        Assert.True((await catalog.RenameAsync("Ledgerloom", "Ledgerloom 2027")).Ok);
        Assert.Equal("What if billing slips?", Assert.Single(await chats.LoadAsync("Ledgerloom 2027")).Text);

        Assert.True((await catalog.DeleteAsync("Ledgerloom 2027")).Ok);
        await using (var context = await db.Factory().CreateDbContextAsync())
            Assert.Empty(context.ChatEntries);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => chats.AppendAsync("Ledgerloom 2027", [Said("user", "Hello?")]));
        Assert.Contains("There is no workspace named 'Ledgerloom 2027'", refused.Message);
    }

    [Fact]
    public async Task A_chat_an_earlier_version_kept_in_a_file_is_moved_into_the_database_once_and_the_file_removed()
    {
        await using var db = await TempDatabase.CreateAsync();
        var chats = new ChatHistoryStore(db.Factory(), db.Paths);
        Directory.CreateDirectory(chats.LegacyFolder);
        var file = Path.Combine(chats.LegacyFolder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("Ledgerloom")))[..24] + ".json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new[] { Said("user", "old question"), Said("assistant", "old answer") }, Web));

        await chats.AppendAsync("Ledgerloom", [Said("user", "new question")]);
        Assert.Equal(["old question", "old answer", "new question"], (await chats.LoadAsync("Ledgerloom")).Select(e => e.Text));
        Assert.Empty(Directory.GetFiles(chats.LegacyFolder));
        Assert.Equal(3, (await new ChatHistoryStore(db.Factory(), db.Paths).LoadAsync("Ledgerloom")).Count); // moved once, not twice

        await chats.ClearAsync("Ledgerloom");
        Assert.Empty(await chats.LoadAsync("Ledgerloom"));
    }
}
