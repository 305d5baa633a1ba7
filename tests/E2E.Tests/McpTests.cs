using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Planner.E2E.Tests;

/// <summary>The MCP server at /mcp, driven by the MCP C# client against the real app process.</summary>
public sealed class McpTests
{
    private static Task<McpClient> ConnectAsync(AppServer app, string? token = null) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(app.BaseUrl + "/mcp"),
            AdditionalHeaders = token is null ? null : new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        }));

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    private static async Task<string> FingerprintAsync(HttpClient http, AppServer app) =>
        (await http.GetAsync(app.BaseUrl + "/api/v1/workspaces/Ledgerloom")).Headers.ETag!.Tag;

    [Fact]
    public async Task An_assistant_lists_the_tools_reads_computed_facts_and_only_proposes_changes()
    {
        await using var app = await AppServer.StartAsync();
        using var http = new HttpClient();
        await using var client = await ConnectAsync(app);

        var tools = (await client.ListToolsAsync()).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["evidence", "list_initiatives", "propose_change", "run_scenario", "schedule_facts", "search_documents"], tools);

        Assert.StartsWith("Everything finishes in week ", Text(await client.CallToolAsync("schedule_facts")));
        Assert.Contains("i1: ", Text(await client.CallToolAsync("list_initiatives", new Dictionary<string, object?> { ["filter"] = "" })));
        Assert.StartsWith("[1] (", Text(await client.CallToolAsync("search_documents", new Dictionary<string, object?> { ["query"] = "billing" })));
        Assert.False(string.IsNullOrWhiteSpace(Text(await client.CallToolAsync("evidence"))));

        var before = await FingerprintAsync(http, app);
        var whatIf = Text(await client.CallToolAsync("run_scenario", new Dictionary<string, object?> { ["changes"] = new[] { "capacity be -2 from week 12" } }));
        Assert.StartsWith("With be −2 people", whatIf);

        var proposed = Text(await client.CallToolAsync("propose_change", new Dictionary<string, object?>
        {
            ["changes"] = new[] { "delay i5 2" },
            ["reason"] = "The mobile team asked for two more weeks.",
        }));
        Assert.StartsWith("Proposed to the founder", proposed);
        // Nothing is written to the roadmap: the proposal waits as a card in the chat for the founder's click.
        Assert.Equal(before, await FingerprintAsync(http, app));
        var chat = ChatInDatabase(app.DataDirectory);
        Assert.Contains("Proposed by an assistant connected through MCP: The mobile team asked for two more weeks.", chat);
        Assert.Contains("delay i5 2", chat);

        // Arguments outside the schema or the planner's bounds: an error result, nothing changed.
        var tooMany = Text(await client.CallToolAsync("run_scenario", new Dictionary<string, object?> { ["changes"] = Enumerable.Repeat("cut i1", 9).ToArray() }));
        Assert.Equal("Give between one and 8 changes.", tooMany);
        var wrongType = await client.CallToolAsync("run_scenario", new Dictionary<string, object?> { ["changes"] = 42 });
        Assert.True(wrongType.IsError);
        await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("delete_everything").AsTask());
        Assert.Equal(before, await FingerprintAsync(http, app));
    }

    [Fact]
    public async Task An_exposed_app_answers_MCP_only_with_a_valid_token()
    {
        var data = Built.NewTempDirectory("mcp-exposed");
        await CliProcess.SetAdminPasswordAsync(data, "a long enough secret");
        var token = (await CliProcess.RunAsync(data, data, null, "token", "create", "assistant", "--workspace", "Ledgerloom")).Stdout.Trim();
        await using var app = await AppServer.StartAsync(data, new Dictionary<string, string> { ["Planner__AllowRemoteAccess"] = "true" }, listenHost: "0.0.0.0");

        await Assert.ThrowsAsync<HttpRequestException>(() => ConnectAsync(app));
        await Assert.ThrowsAsync<HttpRequestException>(() => ConnectAsync(app, "plnr_" + new string('A', 43)));
        await using var client = await ConnectAsync(app, token);
        Assert.StartsWith("Everything finishes in week ", Text(await client.CallToolAsync("schedule_facts")));
        Assert.Contains("that this token may use", Text(await client.CallToolAsync("schedule_facts", new Dictionary<string, object?> { ["workspace"] = "Elsewhere" })));
    }

    /// <summary>Every chat message the app keeps (the ChatEntries table of its SQLite database), as one text.</summary>
    private static string ChatInDatabase(string dataDirectory)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "planner.db"), Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly, Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EntryJson FROM ChatEntries ORDER BY Id";
        using var reader = command.ExecuteReader();
        var text = new System.Text.StringBuilder();
        while (reader.Read()) text.AppendLine(reader.GetString(0));
        return text.ToString();
    }
}
