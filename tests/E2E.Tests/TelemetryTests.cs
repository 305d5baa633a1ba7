namespace Planner.E2E.Tests;

/// <summary>The real app with console telemetry switched on by configuration: a request shows up as a trace and
/// as a metric in its output. (Off by default: see Web.Tests' TelemetryServicesTests.)</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task With_console_telemetry_on_a_request_is_printed_as_a_trace_and_a_metric()
    {
        await using var app = await AppServer.StartAsync(environment: new Dictionary<string, string>
        {
            ["Planner__Telemetry__Console"] = "true",
            ["Planner__Telemetry__MetricIntervalSeconds"] = "1",
        });
        using var http = new HttpClient();
        Assert.True((await http.GetAsync(app.BaseUrl + "/healthz")).IsSuccessStatusCode);

        await app.WaitForLogAsync(log => log.Contains("Activity.DisplayName:        GET /healthz"), TimeSpan.FromSeconds(30));
        await app.WaitForLogAsync(log => log.Contains("Metric Name: http.server.request.duration"), TimeSpan.FromSeconds(30));
        Assert.Contains("service.name: planner", app.Log);
    }
}
