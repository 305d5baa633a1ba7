using System.Reflection;

namespace Planner.E2E.Tests;

/// <summary>Where the built programs under test are: the same configuration as this test assembly.</summary>
internal static class Built
{
    public static string RepositoryRoot => Planner.TestSupport.RepositoryRoot.Path;

    public static string Configuration =>
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

    public static string NewTempDirectory(string purpose)
    {
        var dir = Path.Combine(Path.GetTempPath(), "planner-e2e", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
