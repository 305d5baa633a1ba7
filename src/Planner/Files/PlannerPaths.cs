using Microsoft.Extensions.Configuration;

namespace Planner.Files;

/// <summary>Where the planner keeps its files. The web app and the CLI resolve the same directory, so they share
/// one database: configuration key <c>Planner:DataDirectory</c> (environment variable <c>Planner__DataDirectory</c>),
/// default <c>data/app</c>. A relative path is taken from the source checkout's root when the program runs from
/// a build inside a checkout (the folder holding Planner.sln), otherwise from the current directory.</summary>
public sealed record PlannerPaths(string DataDirectory)
{
    public const string DataDirectoryKey = "Planner:DataDirectory";
    public const string DefaultDataDirectory = "data/app";
    public const string ModelsDirectoryKey = "Planner:ModelsDirectory";

    /// <summary>Where the founder drops GGUF models (default data/models, resolved like the data directory).</summary>
    public string ModelsDirectory { get; init; } = Path.GetFullPath(Path.Combine(BaseForRelativePaths(), "data/models"));

    /// <summary>Where Planner's own exports land (trained models), scanned beside <see cref="ModelsDirectory"/>.</summary>
    public string ExportedModelsDirectory => Path.Combine(DataDirectory, "models");

    public string DatabaseFile => Path.Combine(DataDirectory, "planner.db");

    public static PlannerPaths From(IConfiguration configuration)
    {
        var paths = Resolve(configuration[DataDirectoryKey] is { Length: > 0 } configured ? configured : DefaultDataDirectory);
        return configuration[ModelsDirectoryKey] is { Length: > 0 } models
            ? paths with { ModelsDirectory = Path.GetFullPath(Path.IsPathRooted(models) ? models : Path.Combine(BaseForRelativePaths(), models)) }
            : paths;
    }

    public static PlannerPaths Resolve(string directory) =>
        new(Path.GetFullPath(Path.IsPathRooted(directory) ? directory : Path.Combine(BaseForRelativePaths(), directory)));

    private static string BaseForRelativePaths()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Planner.sln"))) return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }
}
