using System.Diagnostics;
using System.Text.Json;

namespace Planner.Engine.Tests.Training;

/// <summary>The libtorch package is a build property (docs/engine-and-training.md, GPU). The CUDA package is not served here, so this
/// evaluates the project (which packages it would restore) rather than restoring it.</summary>
public class LibTorchPackageTests
{
    private static string[] PackageReferences(params string[] properties)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "msbuild", Path.Combine(RepositoryRoot.Path, "src", "Engine", "Engine.csproj"), "-getItem:PackageReference" })
            start.ArgumentList.Add(a);
        foreach (var p in properties) start.ArgumentList.Add("-p:" + p);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"msbuild exited {process.ExitCode}: {stderr}{stdout.Result}");
        using var json = JsonDocument.Parse(stdout.Result);
        return [.. json.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray().Select(i => i.GetProperty("Identity").GetString()!)];
    }

    [Fact]
    public void The_CPU_libtorch_by_default_and_the_CUDA_one_when_the_property_names_it()
    {
        var byDefault = PackageReferences();
        Assert.Contains("libtorch-cpu-linux-x64", byDefault);
        Assert.DoesNotContain(byDefault, p => p.StartsWith("libtorch-cuda", StringComparison.Ordinal));

        var cuda = PackageReferences("LibTorchPackage=libtorch-cuda-12.8-linux-x64");
        Assert.Contains("libtorch-cuda-12.8-linux-x64", cuda);
        Assert.DoesNotContain("libtorch-cpu-linux-x64", cuda);
        Assert.Contains("TorchSharp", cuda);
    }

    [Fact]
    public void The_CUDA_package_has_a_pinned_version_matching_the_CPU_one()
    {
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryRoot.Path, "Directory.Packages.props"));
        string? Version(string id) => props.Descendants("PackageVersion").SingleOrDefault(e => (string?)e.Attribute("Include") == id)?.Attribute("Version")?.Value;
        Assert.NotNull(Version("libtorch-cuda-12.8-linux-x64"));
        Assert.Equal(Version("libtorch-cpu-linux-x64"), Version("libtorch-cuda-12.8-linux-x64"));
    }
}
