using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

/// <summary>PostgreSQL going away in the middle of the app's life (its database stops taking connections, those open
/// are ended), then coming back: a write in between — through the API, from a page, from an MCP tool — is refused with
/// a message, nothing of it is saved, and the same write goes through once the database is back.</summary>
public sealed class DatabaseOutageTests
{
    private const string Outage = "The database cannot be reached right now, so nothing was saved; try again once it is back.";

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    private static readonly Dictionary<string, object?> Proposal = new()
    {
        ["changes"] = new[] { "delay i5 2" },
        ["reason"] = "Asked while the database came and went.",
    };

    [PostgresFact]
    public async Task Writes_from_the_api_a_page_and_an_mcp_tool_while_PostgreSQL_is_away_are_refused_with_a_message_and_go_through_once_it_is_back()
    {
        var database = await TestPostgres.CreateDatabaseAsync("planner_outage");
        var browser = new BrowserFixture();
        try
        {
            var starting = AppServer.StartAsync(environment: TestPostgres.AppEnvironment(database));
            await browser.InitializeAsync();
            await using var app = await starting;
            using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
            const string item = "/api/v1/workspaces/Ledgerloom/initiatives/i1";
            var read = await http.GetAsync(item);
            var before = await read.Content.ReadAsStringAsync();
            var edited = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(before)!;
            edited["title"] = JsonSerializer.SerializeToElement("Written while the database was away");
            // A founder with the initiative's panel open, and an assistant connected, when the database goes.
            var page = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1500, Height = 1000 } });
            await page.GotoAsync(app.BaseUrl + "/roadmap?initiative=i1");
            await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
            await using var mcp = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(app.BaseUrl + "/mcp") }));
            // A second tab on the roadmap, whose "Save version" has no outage handling of its own: the layout's boundary.
            var other = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1500, Height = 1000 } });
            await other.GotoAsync(app.BaseUrl + "/roadmap");
            await Expect(other.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
            var versions = (long)(await TestPostgres.ScalarAsync(database, "SELECT count(*) FROM \"Versions\""))!;

            await TestPostgres.AdminAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false");
            await TestPostgres.AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'");
            var put = new HttpRequestMessage(HttpMethod.Put, item) { Content = JsonContent.Create(edited) };
            put.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(read.Headers.ETag!.Tag));
            var refused = await http.SendAsync(put);
            var message = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)refused.StatusCode}: {message}");
            Assert.Contains("database", message);
            Assert.Contains("nothing was saved", message);
            Assert.DoesNotContain("Exception", message);

            // The page says so, keeps the founder's edits, and its circuit lives on.
            await page.FillAsync("#panel-title", "Typed while the database was away");
            await page.ClickAsync("#panel-save");
            await Expect(page.GetByTestId("panel-outage")).ToContainTextAsync(Outage);
            await Expect(page.Locator("#panel-title")).ToHaveValueAsync("Typed while the database was away");
            await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();

            // Any other write on a page: the page is replaced by the same message, and the tab's session lives on.
            await other.GetByText("Save version").ClickAsync();
            await Expect(other.GetByTestId("page-error")).ToContainTextAsync(Outage);
            await Expect(other.Locator("#blazor-error-ui")).ToBeHiddenAsync();

            // The assistant is told why, not "an error occurred".
            var proposedAway = await mcp.CallToolAsync("propose_change", Proposal);
            Assert.True(proposedAway.IsError);
            Assert.EndsWith(Outage, Text(proposedAway), StringComparison.Ordinal);

            await TestPostgres.AdminAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true");
            var after = await http.GetAsync(item);
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.Equal(before, await after.Content.ReadAsStringAsync());
            Assert.Equal(0L, await TestPostgres.ScalarAsync(database, "SELECT count(*) FROM \"ChatEntries\""));

            // The same clicks and calls go through now.
            await page.ClickAsync("#panel-save");
            await Expect(page.GetByTestId("initiative-panel")).ToHaveCountAsync(0);
            Assert.Contains("Typed while the database was away", await http.GetStringAsync(item));
            Assert.StartsWith("Proposed to the founder", Text(await mcp.CallToolAsync("propose_change", Proposal)));
            Assert.Equal(1L, await TestPostgres.ScalarAsync(database, "SELECT count(*) FROM \"ChatEntries\""));
            Assert.Equal(versions, (long)(await TestPostgres.ScalarAsync(database, "SELECT count(*) FROM \"Versions\""))!);
            await other.GetByTestId("page-error-retry").ClickAsync();
            await other.GetByText("Save version").ClickAsync();
            await Expect(other.Locator(".rz-notification-title")).ToContainTextAsync("Version saved");
            Assert.Equal(versions + 1, (long)(await TestPostgres.ScalarAsync(database, "SELECT count(*) FROM \"Versions\""))!);
        }
        finally
        {
            await browser.DisposeAsync();
            await TestPostgres.DropDatabaseAsync(database);
        }
    }
}
