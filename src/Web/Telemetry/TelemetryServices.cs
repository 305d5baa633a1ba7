using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Planner.Telemetry;
using Planner.Web.Access;

namespace Planner.Web.Telemetry;

/// <summary>OpenTelemetry for the web host: Planner's own traces and metrics (<see cref="PlannerTelemetry"/>: LLM
/// tokens, time to first token, model queue, training steps, scheduling), ASP.NET Core's requests, outgoing HttpClient
/// calls, EF Core's commands and the runtime's metrics, exported to the console and/or OTLP as
/// <see cref="TelemetrySettings"/> says. With neither configured nothing is registered at all: no listener, no
/// exporter, no cost. The resource honours <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c> (the SDK
/// reads them); without a service name it is <c>planner</c>. <c>Planner:Logging:Json=true</c> writes the console
/// logs as JSON, one object a line.</summary>
public static class TelemetryServices
{
    public const string JsonLogsKey = "Planner:Logging:Json";

    public static WebApplicationBuilder AddPlannerTelemetry(this WebApplicationBuilder builder)
    {
        if (builder.Configuration[JsonLogsKey] is { Length: > 0 } json)
        {
            if (!bool.TryParse(json, out var on)) throw new StartupRefusal($"{JsonLogsKey} must be true or false, not '{json}'.");
            if (on) builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }
        var settings = TelemetrySettings.From(builder.Configuration);
        if (!settings.Enabled) return builder;

        var version = typeof(TelemetryServices).Assembly.GetName().Version?.ToString();
        var named = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"])
            || (builder.Configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? "").Contains("service.name=", StringComparison.Ordinal);
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // A later AddService would override the standard variables' name: only when they give none.
                if (!named) resource.AddService("planner", serviceVersion: version);
            });
        otel.WithTracing(tracing =>
        {
            tracing.AddSource(PlannerTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation();
            if (settings.Console) tracing.AddConsoleExporter();
            if (settings.Otlp) tracing.AddOtlpExporter(o => Otlp(o, settings));
        });
        otel.WithMetrics(metrics =>
        {
            metrics.AddMeter(PlannerTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation();
            var interval = (int)Math.Max(1, settings.MetricInterval.TotalMilliseconds);
            if (settings.Console)
                metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval);
            if (settings.Otlp)
                metrics.AddOtlpExporter((o, reader) =>
                {
                    Otlp(o, settings);
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval;
                });
        });
        // Logs stay on the console as they are; a collector gets them too, with their scopes and trace ids.
        if (settings.Otlp)
            otel.WithLogging(logging => logging.AddOtlpExporter(o => Otlp(o, settings)), options => options.IncludeScopes = true);
        return builder;
    }

    /// <summary>Planner's keys, where set, over what the exporter read from the <c>OTEL_EXPORTER_OTLP_*</c> variables.</summary>
    private static void Otlp(OtlpExporterOptions options, TelemetrySettings settings)
    {
        if (settings.OtlpEndpoint is { } endpoint) options.Endpoint = endpoint;
        if (settings.OtlpProtocol is { } protocol) options.Protocol = protocol;
    }
}
