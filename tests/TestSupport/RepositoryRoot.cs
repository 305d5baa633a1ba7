namespace Planner.TestSupport;

/// <summary>The repository root, found by walking up from the test binaries to Planner.sln, and paths in it.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>A path below the root, e.g. <c>File("data", "sample", "docs")</c>.</summary>
    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>A path in the sample workspace that ships with the app (data/sample).</summary>
    public static string SampleData(params string[] parts) => File(["data", "sample", .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Planner.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run the tests from a checkout: Planner.sln was not found above " + AppContext.BaseDirectory);
    }
}
