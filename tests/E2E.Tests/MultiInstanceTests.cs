using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Planner.E2E.Tests;

/// <summary>More than one app process on one database: PostgreSQL serves several, SQLite one.</summary>
public sealed class MultiInstanceTests
{
    [PostgresFact]
    public async Task Two_instances_on_one_PostgreSQL_see_each_others_edits_and_uploads()
    {
        var database = $"planner_e2e_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(PostgresFactAttribute.Server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        try
        {
            var data = Built.NewTempDirectory("two-instances");
            var environment = new Dictionary<string, string>
            {
                ["Planner__Database__Provider"] = "postgres",
                ["ConnectionStrings__Planner"] = new NpgsqlConnectionStringBuilder(PostgresFactAttribute.Server) { Database = database }.ConnectionString,
            };
            await using var first = await AppServer.StartAsync(data, environment);
            await using var second = await AppServer.StartAsync(data, environment);
            using var a = new HttpClient { BaseAddress = new Uri(first.BaseUrl) };
            using var b = new HttpClient { BaseAddress = new Uri(second.BaseUrl) };
            const string item = "/api/v1/workspaces/Ledgerloom/initiatives/i1";

            // An edit saved through one instance is what the other reads; the stale copy is refused by either.
            var read = await b.GetAsync(item);
            var edited = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await read.Content.ReadAsStringAsync())!;
            edited["title"] = JsonSerializer.SerializeToElement("Edited on the first instance");
            var put = new HttpRequestMessage(HttpMethod.Put, item) { Content = JsonContent.Create(edited) };
            put.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(read.Headers.ETag!.Tag));
            Assert.Equal(HttpStatusCode.OK, (await a.SendAsync(put)).StatusCode);
            var seen = await b.GetAsync(item);
            Assert.Contains("Edited on the first instance", await seen.Content.ReadAsStringAsync());
            var stale = new HttpRequestMessage(HttpMethod.Put, item) { Content = JsonContent.Create(edited) };
            stale.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(read.Headers.ETag!.Tag));
            Assert.Equal(HttpStatusCode.PreconditionFailed, (await b.SendAsync(stale)).StatusCode);

            // A document uploaded to one instance is found by a search on either (each keeps its index in step).
            var upload = await a.PostAsync("/api/v1/documents?name=field-notes.md",
                new StringContent("# Field notes\n\nThe quokka accountants want invoice reminders by text message.\n", Encoding.UTF8, "text/markdown"));
            Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());
            foreach (var instance in new[] { a, b })
            {
                var hits = JsonDocument.Parse(await instance.GetStringAsync("/api/v1/documents/search?q=quokka")).RootElement;
                Assert.Equal("field-notes.md", hits[0].GetProperty("citation").GetProperty("documentName").GetString());
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(PostgresFactAttribute.Server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task A_second_instance_on_the_same_SQLite_data_directory_is_refused_with_the_reason()
    {
        var data = Built.NewTempDirectory("sqlite-twice");
        await using var first = await AppServer.StartAsync(data);
        var (exitCode, output) = await AppServer.RunUntilExitAsync("http://127.0.0.1:0", new Dictionary<string, string> { ["Planner__DataDirectory"] = data });
        Assert.Equal(1, exitCode);
        Assert.Contains("another Planner web app is already using the data directory", output);
        Assert.Contains("SQLite serves one instance", output);
        // The first one is untouched.
        using var http = new HttpClient();
        Assert.True((await http.GetAsync(first.BaseUrl + "/healthz")).IsSuccessStatusCode);
    }
}
