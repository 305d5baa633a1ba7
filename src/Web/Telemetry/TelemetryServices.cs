using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Planner.Telemetry;

namespace Planner.Web.Telemetry;

/// <summary>OpenTelemetry for the web host: Planner's own traces and metrics (<see cref="PlannerTelemetry"/>: LLM
/// tokens, time to first token, model queue, training steps, scheduling) and ASP.NET Core's requests, exported to the
/// console and/or OTLP as <see cref="TelemetrySettings"/> says. With neither configured nothing is registered at
/// all: no listener, no exporter, no cost.</summary>
public static class TelemetryServices
{
    public static WebApplicationBuilder AddPlannerTelemetry(this WebApplicationBuilder builder)
    {
        var settings = TelemetrySettings.From(builder.Configuration);
        if (!settings.Enabled) return builder;

        var version = typeof(TelemetryServices).Assembly.GetName().Version?.ToString();
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("planner", serviceVersion: version));
        otel.WithTracing(tracing =>
        {
            tracing.AddSource(PlannerTelemetry.Name).AddAspNetCoreInstrumentation();
            if (settings.Console) tracing.AddConsoleExporter();
            if (settings.OtlpEndpoint is not null) tracing.AddOtlpExporter(o => Otlp(o, settings));
        });
        otel.WithMetrics(metrics =>
        {
            metrics.AddMeter(PlannerTelemetry.Name).AddAspNetCoreInstrumentation();
            var interval = (int)Math.Max(1, settings.MetricInterval.TotalMilliseconds);
            if (settings.Console)
                metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval);
            if (settings.OtlpEndpoint is not null)
                metrics.AddOtlpExporter((o, reader) =>
                {
                    Otlp(o, settings);
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval;
                });
        });
        // Logs stay on the console as they are; a collector gets them too, with their scopes and trace ids.
        if (settings.OtlpEndpoint is not null)
            otel.WithLogging(logging => logging.AddOtlpExporter(o => Otlp(o, settings)), options => options.IncludeScopes = true);
        return builder;
    }

    private static void Otlp(OtlpExporterOptions options, TelemetrySettings settings)
    {
        options.Endpoint = settings.OtlpEndpoint!;
        options.Protocol = settings.OtlpProtocol;
    }
}
