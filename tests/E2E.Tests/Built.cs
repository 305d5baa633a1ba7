using System.Reflection;

namespace Planner.E2E.Tests;

/// <summary>Where the built programs under test are: the same configuration as this test assembly.</summary>
internal static class Built
{
    public static string RepositoryRoot { get; } = FindRoot();

    private static string Configuration =>
        typeof(Built).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    public static string WebDll => Path.Combine(RepositoryRoot, "src", "Web", "bin", Configuration, "net10.0", "Web.dll");
    public static string WebProjectDirectory => Path.Combine(RepositoryRoot, "src", "Web");
    public static string CliDll => Path.Combine(RepositoryRoot, "src", "Cli", "bin", Configuration, "net10.0", "planner.dll");

    /// <summary>Where screenshots and logs are kept: artifacts/e2e under the repository root.</summary>
    public static string ArtifactsDirectory
    {
        get
        {
            var dir = Path.Combine(RepositoryRoot, "artifacts", "e2e");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Planner.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run the tests from a checkout: Planner.sln was not found above the test assembly.");
    }

    public static string NewTempDirectory(string purpose)
    {
        var dir = Path.Combine(Path.GetTempPath(), "planner-e2e", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
