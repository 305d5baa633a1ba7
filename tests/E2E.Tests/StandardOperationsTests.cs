using System.Net;
using System.Text.Json;

namespace Planner.E2E.Tests;

/// <summary>The real app as an orchestrator sees it: liveness and readiness probes without a session, the standard
/// OTEL_* variables, EF Core spans, JSON console logs.</summary>
public sealed class StandardOperationsTests
{
    [Fact]
    public async Task Live_and_ready_answer_200_with_the_database_reachable_and_healthz_keeps_its_text()
    {
        await using var app = await AppServer.StartAsync();
        using var http = new HttpClient();
        var live = await http.GetAsync(app.BaseUrl + "/healthz/live");
        var ready = await http.GetAsync(app.BaseUrl + "/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.StartsWith("ok: database reachable", await http.GetStringAsync(app.BaseUrl + "/healthz"));
    }

    [Fact]
    public async Task Ready_answers_503_while_the_SQLite_file_cannot_be_opened_and_200_once_it_is_back_while_live_stays_200()
    {
        await using var app = await AppServer.StartAsync();
        using var http = new HttpClient();
        var database = Path.Combine(app.DataDirectory, "planner.db");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(app.BaseUrl + "/healthz/ready")).StatusCode);

        File.Move(database, database + ".away");
        Directory.CreateDirectory(database); // a directory where the file was: SQLite cannot open it, even as root
        var ready = await http.GetAsync(app.BaseUrl + "/healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(app.BaseUrl + "/healthz/live")).StatusCode);

        Directory.Delete(database);
        File.Move(database + ".away", database);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(app.BaseUrl + "/healthz/ready")).StatusCode);
    }

    [PostgresFact]
    public async Task Ready_answers_503_when_the_PostgreSQL_database_goes_away_while_live_stays_200()
    {
        var database = await TestPostgres.CreateDatabaseAsync("planner_ready");
        try
        {
            await using var app = await AppServer.StartAsync(environment: TestPostgres.AppEnvironment(database));
            using var http = new HttpClient();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(app.BaseUrl + "/healthz/ready")).StatusCode);

            await TestPostgres.AdminAsync($"DROP DATABASE \"{database}\" WITH (FORCE)");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(app.BaseUrl + "/healthz/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(app.BaseUrl + "/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(app.BaseUrl + "/healthz/live")).StatusCode);
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task Otel_service_name_and_resource_attributes_name_the_traces_and_ef_core_commands_are_spans()
    {
        await using var app = await AppServer.StartAsync(environment: new Dictionary<string, string>
        {
            ["Planner__Telemetry__Console"] = "true",
            ["OTEL_SERVICE_NAME"] = "planner-e2e",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment.name=e2e",
        });
        using var http = new HttpClient();
        Assert.True((await http.GetAsync(app.BaseUrl + "/healthz")).IsSuccessStatusCode);

        await app.WaitForLogAsync(log => log.Contains("Activity.DisplayName:        GET /healthz"), TimeSpan.FromSeconds(30));
        await app.WaitForLogAsync(log => log.Contains("OpenTelemetry.Instrumentation.EntityFrameworkCore"), TimeSpan.FromSeconds(30));
        Assert.Contains("service.name: planner-e2e", app.Log);
        Assert.Contains("deployment.environment.name: e2e", app.Log);
        Assert.DoesNotContain("service.name: planner\n", app.Log.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task The_standard_otlp_endpoint_and_protocol_send_traces_to_a_collector()
    {
        using var collector = new HttpListener();
        var port = AppServer.FreePort();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        await using var app = await AppServer.StartAsync(environment: new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        using var http = new HttpClient();
        Assert.True((await http.GetAsync(app.BaseUrl + "/healthz")).IsSuccessStatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? path = null;
        while (path != "/v1/traces")
        {
            var context = await collector.GetContextAsync().WaitAsync(deadline - DateTime.UtcNow);
            path = context.Request.Url!.AbsolutePath;
            Assert.Equal("POST", context.Request.HttpMethod);
            Assert.Equal("application/x-protobuf", context.Request.ContentType);
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    [Fact]
    public async Task With_json_logs_on_every_console_log_line_parses_as_json()
    {
        await using var app = await AppServer.StartAsync(environment: new Dictionary<string, string> { ["Planner__Logging__Json"] = "true" });
        using var http = new HttpClient();
        Assert.True((await http.GetAsync(app.BaseUrl + "/healthz")).IsSuccessStatusCode);

        var lines = app.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.True(json.RootElement.TryGetProperty("Category", out _), line);
        }
    }
}
