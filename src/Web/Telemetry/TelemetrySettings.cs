using System.Globalization;
using OpenTelemetry.Exporter;
using Planner.Web.Access;

namespace Planner.Web.Telemetry;

/// <summary>Where traces and metrics go: nowhere by default. <c>Planner:Telemetry:Console=true</c> prints them;
/// <c>Planner:Telemetry:Otlp:Endpoint</c> sends them (and the logs) to an OpenTelemetry collector
/// (<c>Otlp:Protocol</c>: <c>grpc</c>, the default, or <c>http/protobuf</c>). Metrics are exported every
/// <c>MetricIntervalSeconds</c> (60 by default).</summary>
public sealed record TelemetrySettings(bool Console, Uri? OtlpEndpoint, OtlpExportProtocol OtlpProtocol, TimeSpan MetricInterval)
{
    public const string Section = "Planner:Telemetry";

    public bool Enabled => Console || OtlpEndpoint is not null;

    /// <summary>Reads the settings; a value that cannot be used stops start-up with its key.</summary>
    public static TelemetrySettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        Uri? endpoint = null;
        if (section["Otlp:Endpoint"] is { Length: > 0 } text &&
            (!Uri.TryCreate(text, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
            throw new StartupRefusal($"{Section}:Otlp:Endpoint must be an absolute URL (e.g. http://127.0.0.1:4317), not '{text}'.");
        var protocol = section["Otlp:Protocol"] switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
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
        return new TelemetrySettings(console, endpoint, protocol, TimeSpan.FromSeconds(interval));
    }
}
