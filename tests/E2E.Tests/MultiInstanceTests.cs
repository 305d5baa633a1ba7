using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

/// <summary>More than one app process on one database: PostgreSQL serves several, SQLite one.</summary>
public sealed class MultiInstanceTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>Runs <paramref name="test"/> with the environment that points an app at a new, empty PostgreSQL
    /// database, dropped afterwards.</summary>
    private static async Task OnANewDatabaseAsync(Func<Dictionary<string, string>, Task> test)
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
            await test(new Dictionary<string, string>
            {
                ["Planner__Database__Provider"] = "postgres",
                ["ConnectionStrings__Planner"] = new NpgsqlConnectionStringBuilder(PostgresFactAttribute.Server) { Database = database }.ConnectionString,
            });
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

    [PostgresFact]
    public Task Two_instances_on_one_PostgreSQL_see_each_others_edits_and_uploads() => OnANewDatabaseAsync(async environment =>
    {
        var data = Built.NewTempDirectory("two-instances");
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
    });

    [PostgresFact]
    public Task A_run_queued_on_one_of_two_instances_trains_once_and_the_other_continues_it_when_that_instance_is_killed() =>
        OnANewDatabaseAsync(async environment =>
        {
            var data = Built.NewTempDirectory("two-instances-training");
            environment["Planner__Training__LookAroundSeconds"] = "0.5";
            var first = await AppServer.StartAsync(data, environment);
            await using var second = await AppServer.StartAsync(data, environment);
            var page = await browser.Browser.NewPageAsync();
            try
            {
                await TrainingPage.StartSampleRunAsync(page, first, steps: 12);
                // Checkpoints every 2 steps for a 12-step run: past the second one, the instance training it is killed.
                await Expect(page.GetByTestId("run-numbers")).ToContainTextAsync(new Regex(@"step ([5-9]|1[01])/12"), new() { Timeout = 120_000 });
                var run = Directory.GetDirectories(Path.Combine(data, "runs")).Single();
                await first.KillAsync();

                // The other instance lists the run, sees its trainer gone, and finishes it from the last checkpoint.
                await page.GotoAsync(second.BaseUrl + "/training");
                var card = page.GetByTestId("training-run").First;
                await Expect(card.GetByTestId("run-status")).ToHaveTextAsync("completed", new() { Timeout = 180_000 });
                await Expect(card.GetByTestId("run-message")).ToContainTextAsync(new Regex(@"Continued after a restart from step (4|6|8|10)\. Finished at step 12"));
                // The lease, let go when the run finished, names the instance that finished it.
                Assert.Contains($"process {second.ProcessId} ", await File.ReadAllTextAsync(Path.Combine(run, "lease")));
                // Trained once: every step of the curve once, in order.
                var steps = File.ReadAllLines(Path.Combine(run, "metrics.jsonl"))
                    .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("step").GetInt64()).ToList();
                Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), steps);
            }
            finally
            {
                await page.CloseAsync();
                await first.DisposeAsync();
            }
        });

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
