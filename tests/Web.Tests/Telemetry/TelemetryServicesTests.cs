using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Planner.Web.Access;
using Planner.Web.Telemetry;

namespace Planner.Web.Tests.Telemetry;

public class TelemetryServicesTests
{
    private static WebApplication Build(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore(); // a server to build with; nothing is started
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.AddPlannerTelemetry();
        return builder.Build();
    }

    private static string WebProjectDirectory() => Planner.TestSupport.RepositoryRoot.File("src", "Web");

    [Fact]
    public async Task The_shipped_configuration_registers_no_tracing_no_metrics_and_no_exporter()
    {
        var root = WebProjectDirectory();
        Assert.True(File.Exists(Path.Combine(root, "appsettings.json")));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = root, EnvironmentName = "Production" });
        builder.AddPlannerTelemetry();
        await using var app = builder.Build();
        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task Console_on_registers_tracing_and_metrics()
    {
        await using var app = Build(("Planner:Telemetry:Console", "true"));
        Assert.NotNull(app.Services.GetService<TracerProvider>());
        Assert.NotNull(app.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task An_otlp_endpoint_alone_turns_it_on_and_console_false_keeps_it_off()
    {
        await using (var otlp = Build(("Planner:Telemetry:Otlp:Endpoint", "http://127.0.0.1:4317")))
            Assert.NotNull(otlp.Services.GetService<TracerProvider>());
        await using var off = Build(("Planner:Telemetry:Console", "false"));
        Assert.Null(off.Services.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")]
    public async Task The_standard_otlp_endpoint_variable_alone_turns_it_on(string key)
    {
        await using var app = Build((key, "http://127.0.0.1:4318"));
        Assert.NotNull(app.Services.GetService<TracerProvider>());
        Assert.NotNull(app.Services.GetService<MeterProvider>());
    }

    [Fact]
    public void Planner_keys_win_over_the_standard_variables_and_an_unset_protocol_is_left_to_them()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4318",
            ["Planner:Telemetry:Otlp:Endpoint"] = "http://127.0.0.1:4317",
        }).Build();
        var settings = TelemetrySettings.From(configuration);
        Assert.Equal(new Uri("http://127.0.0.1:4317"), settings.OtlpEndpoint);
        Assert.Null(settings.OtlpProtocol);
        Assert.True(settings.Otlp);
    }

    [Theory]
    [InlineData("Planner:Logging:Json", "yes", "Planner:Logging:Json")]
    [InlineData("Planner:Telemetry:Otlp:Endpoint", "collector:4317", "Otlp:Endpoint")]
    [InlineData("Planner:Telemetry:Otlp:Protocol", "udp", "Otlp:Protocol")]
    [InlineData("Planner:Telemetry:MetricIntervalSeconds", "0", "MetricIntervalSeconds")]
    [InlineData("Planner:Telemetry:Console", "yes", "Console")]
    public void A_setting_that_cannot_be_used_stops_start_up_naming_its_key(string key, string value, string named)
    {
        var refusal = Assert.Throws<StartupRefusal>(() => Build((key, value)));
        Assert.Contains(named, refusal.Message);
    }
}
