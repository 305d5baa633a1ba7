using Microsoft.Extensions.Configuration;

namespace Planner.Files;

/// <summary>Where the planner keeps its files. The web app and the CLI resolve the same directory, so they share
/// one database: configuration key <c>Planner:DataDirectory</c> (environment variable <c>Planner__DataDirectory</c>),
/// default <c>data/app</c> of the source checkout when the program runs from a build inside one (the folder holding
/// Planner.sln), otherwise <c>planner/app</c> in the platform's per-user data folder (<see cref="UserDataFolder"/>:
/// <c>$XDG_DATA_HOME</c> or <c>~/.local/share</c> on Linux, <c>~/Library/Application Support</c> on macOS,
/// <c>%LOCALAPPDATA%</c> on Windows), as for an installed tool. A relative path is taken from the checkout's root, or
/// outside a checkout from the current directory.</summary>
public sealed record PlannerPaths(string DataDirectory)
{
    public const string DataDirectoryKey = "Planner:DataDirectory";
    public const string DefaultDataDirectory = "data/app";
    public const string ModelsDirectoryKey = "Planner:ModelsDirectory";

    /// <summary>The file a running web app holds locked in the data directory (SQLite serves one instance): process
    /// state, never data — backups and snapshots leave it out.</summary>
    public const string InstanceLockFileName = "instance.lock";

    /// <summary>The file an app holds locked in a training run's folder while it trains that run (instances sharing a
    /// data directory run each run once): process state too, left out of backups and snapshots.</summary>
    public const string RunLeaseFileName = "lease";

    /// <summary>Where the founder drops GGUF models: data/models of the checkout, else planner/models in the per-user
    /// data folder.</summary>
    public string ModelsDirectory { get; init; } = Path.GetFullPath(CheckoutRoot() is { } root ? Path.Combine(root, "data/models") : Path.Combine(UserDataFolder, "planner", "models"));

    /// <summary>The platform's per-user data folder (XDG on Linux), where an installed tool keeps its data.</summary>
    public static string UserDataFolder => Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);

    /// <summary>The data directory used when none is configured: in a checkout data/app, else planner/app in <see cref="UserDataFolder"/>.</summary>
    public static string DefaultDataDirectoryPath =>
        Path.GetFullPath(CheckoutRoot() is { } root ? Path.Combine(root, DefaultDataDirectory) : Path.Combine(UserDataFolder, "planner", "app"));

    /// <summary>True when the program runs from a build inside a source checkout.</summary>
    public static bool InCheckout => CheckoutRoot() is not null;

    /// <summary>Where Planner's own exports land (trained models), scanned beside <see cref="ModelsDirectory"/>.</summary>
    public string ExportedModelsDirectory => Path.Combine(DataDirectory, "models");

    public string DatabaseFile => Path.Combine(DataDirectory, "planner.db");

    public static PlannerPaths From(IConfiguration configuration)
    {
        var paths = configuration[DataDirectoryKey] is { Length: > 0 } configured ? Resolve(configured) : new PlannerPaths(DefaultDataDirectoryPath);
        return configuration[ModelsDirectoryKey] is { Length: > 0 } models
            ? paths with { ModelsDirectory = Path.GetFullPath(Path.IsPathRooted(models) ? models : Path.Combine(BaseForRelativePaths(), models)) }
            : paths;
    }

    public static PlannerPaths Resolve(string directory) =>
        new(Path.GetFullPath(Path.IsPathRooted(directory) ? directory : Path.Combine(BaseForRelativePaths(), directory)));

    private static string BaseForRelativePaths() => CheckoutRoot() ?? Directory.GetCurrentDirectory();

    private static string? CheckoutRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Planner.sln"))) return dir.FullName;
        }
        return null;
    }
}
