using System.Globalization;
using OpenTelemetry.Exporter;
using Planner.Web.Access;

namespace Planner.Web.Telemetry;

/// <summary>Where traces and metrics go: nowhere by default. <c>Planner:Telemetry:Console=true</c> prints them;
/// <c>Planner:Telemetry:Otlp:Endpoint</c> sends them (and the logs) to an OpenTelemetry collector
/// (<c>Otlp:Protocol</c>: <c>grpc</c>, the default, or <c>http/protobuf</c>). Metrics are exported every
/// <c>MetricIntervalSeconds</c> (60 by default). The standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or a signal's own
/// <c>OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_ENDPOINT</c>) turns OTLP on too; the exporter then reads it and the
/// other <c>OTEL_EXPORTER_OTLP_*</c> variables itself, and a Planner key that is set wins over its standard
/// counterpart. <see cref="OtlpProtocol"/> is null when Planner's key is not set.</summary>
public sealed record TelemetrySettings(bool Console, Uri? OtlpEndpoint, OtlpExportProtocol? OtlpProtocol, TimeSpan MetricInterval, bool StandardOtlpEndpoint)
{
    public const string Section = "Planner:Telemetry";

    private static readonly string[] StandardEndpointKeys =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"];

    public bool Otlp => OtlpEndpoint is not null || StandardOtlpEndpoint;

    public bool Enabled => Console || Otlp;

    /// <summary>Reads the settings; a value that cannot be used stops start-up with its key.</summary>
    public static TelemetrySettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        Uri? endpoint = null;
        if (section["Otlp:Endpoint"] is { Length: > 0 } text &&
            (!Uri.TryCreate(text, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
            throw new StartupRefusal($"{Section}:Otlp:Endpoint must be an absolute URL (e.g. http://127.0.0.1:4317), not '{text}'.");
        OtlpExportProtocol? protocol = section["Otlp:Protocol"] switch
        {
            null or "" => null,
            "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            var other => throw new StartupRefusal($"{Section}:Otlp:Protocol must be 'grpc' or 'http/protobuf', not '{other}'."),
        };
        var interval = 60.0;
        if (section["MetricIntervalSeconds"] is { Length: > 0 } seconds &&
            (!double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out interval) || interval <= 0))
            throw new StartupRefusal($"{Section}:MetricIntervalSeconds must be a positive number of seconds, not '{seconds}'.");
        var console = section["Console"] is { Length: > 0 } flag
            ? bool.TryParse(flag, out var on) ? on : throw new StartupRefusal($"{Section}:Console must be true or false, not '{flag}'.")
            : false;
        var standard = StandardEndpointKeys.Any(key => !string.IsNullOrWhiteSpace(configuration[key]));
        return new TelemetrySettings(console, endpoint, protocol, TimeSpan.FromSeconds(interval), standard);
    }
}
