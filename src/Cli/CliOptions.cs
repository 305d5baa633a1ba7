using System.CommandLine;

namespace Planner.Cli;

/// <summary>Options shared by every command.</summary>
public static class CliOptions
{
    public static readonly Option<string?> DataDirectory = new("--data-dir")
    {
        Description = $"Data directory (default: Planner__DataDirectory, else {Files.PlannerPaths.DefaultDataDirectoryPath}" +
                      (Files.PlannerPaths.InCheckout ? " — the checkout's, shared with the web app)." : " — the per-user data folder)."),
        Recursive = true,
    };

    public static readonly Option<bool> NoSeed = new("--no-seed")
    {
        Description = "Do not load the sample workspace into an empty database.",
        Recursive = true,
    };

    public static readonly Option<string?> Workspace = new("--workspace")
    {
        Description = "Workspace name (default: the first workspace).",
    };
}
