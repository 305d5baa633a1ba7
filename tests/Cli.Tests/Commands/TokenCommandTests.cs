using Microsoft.Data.Sqlite;
using Planner.Security;

namespace Planner.Cli.Tests.Commands;

public sealed class TokenCommandTests
{
    [Fact]
    public async Task A_created_token_is_printed_once_kept_only_as_its_hash_listed_and_revoked()
    {
        using var data = new TempFolder();
        var created = await CliRun.Of("token", "create", "assistant", "--workspace", "Ledgerloom", "--expires-in-days", "30", "--data-dir", data.Path);
        Assert.True(created.ExitCode == 0, created.Stderr);
        var token = created.Stdout.Trim();
        Assert.StartsWith(ApiTokenSecret.Scheme, token);
        Assert.Contains("workspace 'Ledgerloom'", created.Stderr);

        // The database holds the hash and the prefix, never the token.
        using (var db = new SqliteConnection($"Data Source={data.File("planner.db")};Pooling=False"))
        {
            db.Open();
            using var read = db.CreateCommand();
            read.CommandText = "SELECT Hash, Prefix FROM ApiTokens";
            using var row = read.ExecuteReader();
            Assert.True(row.Read());
            Assert.Equal(ApiTokenSecret.Hash(token), row.GetString(0));
            Assert.Equal(ApiTokenSecret.PrefixOf(token), row.GetString(1));
        }
        Assert.DoesNotContain(token, await File.ReadAllTextAsync(data.File("planner.db")) + string.Join("", Directory.GetFiles(data.Path).Where(f => f.EndsWith("-wal", StringComparison.Ordinal)).Select(File.ReadAllText)));

        var listed = await CliRun.Of("token", "list", "--data-dir", data.Path);
        Assert.Contains($"{ApiTokenSecret.PrefixOf(token)}…  assistant  workspace 'Ledgerloom'", listed.Stdout);
        Assert.Contains("active", listed.Stdout);
        Assert.DoesNotContain(token, listed.Stdout);

        Assert.Equal(0, (await CliRun.Of("token", "revoke", ApiTokenSecret.PrefixOf(token), "--data-dir", data.Path)).ExitCode);
        Assert.Contains("revoked", (await CliRun.Of("token", "list", "--data-dir", data.Path)).Stdout);
    }

    [Theory]
    [InlineData("create|x|--workspace|Nowhere", "There is no workspace named 'Nowhere'")]
    [InlineData("create| |", "needs a name")]
    [InlineData("create|x|--expires-in-days|0", "--expires-in-days must be from 1")]
    [InlineData("revoke|99", "no token with the id or prefix '99'")]
    public async Task Bad_token_commands_are_refused_with_a_message_and_nothing_is_written(string args, string reason)
    {
        using var data = new TempFolder();
        var run = await CliRun.Of(["token", .. args.Split('|', StringSplitOptions.RemoveEmptyEntries), "--data-dir", data.Path]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(reason, run.Stderr);
        Assert.Contains("No tokens", (await CliRun.Of("token", "list", "--data-dir", data.Path)).Stdout);
    }
}
