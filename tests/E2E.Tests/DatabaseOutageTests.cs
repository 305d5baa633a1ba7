using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Planner.E2E.Tests;

/// <summary>PostgreSQL going away in the middle of the app's life (its database stops taking connections, those open
/// are ended), then coming back: a write in between is refused with a message, and nothing of it is saved.</summary>
public sealed class DatabaseOutageTests
{
    [PostgresFact]
    public async Task An_api_write_while_PostgreSQL_is_away_is_refused_with_a_message_and_nothing_is_half_written()
    {
        var database = await TestPostgres.CreateDatabaseAsync("planner_outage");
        try
        {
            await using var app = await AppServer.StartAsync(environment: TestPostgres.AppEnvironment(database));
            using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
            const string item = "/api/v1/workspaces/Ledgerloom/initiatives/i1";
            var read = await http.GetAsync(item);
            var before = await read.Content.ReadAsStringAsync();
            var edited = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(before)!;
            edited["title"] = JsonSerializer.SerializeToElement("Written while the database was away");

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

            await TestPostgres.AdminAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true");
            var after = await http.GetAsync(item);
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.Equal(before, await after.Content.ReadAsStringAsync());
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }
}
