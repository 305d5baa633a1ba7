using Microsoft.Extensions.Configuration;

namespace Planner.Persistence;

/// <summary>Where the planner keeps its files. The web app and the CLI resolve the same directory, so they share
/// one database: configuration key <c>Planner:DataDirectory</c> (environment variable <c>Planner__DataDirectory</c>),
/// default <c>data/app</c>. A relative path is taken from the source checkout's root when the program runs from
/// a build inside a checkout (the folder holding Planner.sln), otherwise from the current directory.</summary>
public sealed record PlannerPaths(string DataDirectory)
{
    public const string DataDirectoryKey = "Planner:DataDirectory";
    public const string DefaultDataDirectory = "data/app";

    public string DatabaseFile => Path.Combine(DataDirectory, "planner.db");

    public static PlannerPaths From(IConfiguration configuration) =>
        Resolve(configuration[DataDirectoryKey] is { Length: > 0 } configured ? configured : DefaultDataDirectory);

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
