using Planner.Interchange;

namespace Planner.Cli.Tests.Commands;

public class DraftCommandTests
{
    /// <summary>A random-weight GPT-2 with a 1,024-token context, exported by the Engine: a real GGUF for llama.cpp.</summary>
    private static string TinyModel(TempFolder dir) => Planner.TestSupport.TinyModel.Write(dir.File("tiny.gguf"), "tiny-draft", context: 1024, seed: 5);

    [Fact]
    public async Task Draft_writes_the_roadmap_with_the_valid_drafted_items_added_and_reports_the_rest()
    {
        using var dir = new TempFolder();
        var model = TinyModel(dir);
        var run = await CliRun.Of("draft", "--model", model, "--brief", "Win larger customers with billing and reporting",
            "--roadmap", RepositoryRoot.SampleData("roadmap.json"), "--docs", RepositoryRoot.SampleData("docs"), "--items", "2", "--max-tokens", "500",
            "--temperature", "1", "--seed", "4", "--out", dir.File("drafted.json"), "--data-dir", dir.File("data"));
        // The grammar holds every field to the schema and the workspace (teams, people, weeks), so even random weights
        // yield valid items; only a reply cut off by --max-tokens could fail, and 500 leaves room for two items.
        Assert.True(run.ExitCode == 0, run.Stderr);
        var count = int.Parse(System.Text.RegularExpressions.Regex.Match(run.Stdout, @"Drafted (\d) initiative").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(count, 1, 2);
        Assert.Contains("source: ", run.Stdout); // passages from --docs
        Assert.Contains("Summary (written by the model from the facts above)", run.Stdout);
        var original = RoadmapJson.Read(File.ReadAllBytes(RepositoryRoot.SampleData("roadmap.json"))).Workspace!;
        var drafted = RoadmapJson.Read(File.ReadAllBytes(dir.File("drafted.json")));
        Assert.True(drafted.Ok, string.Join("; ", drafted.Problems));
        Assert.Equal(original.Initiatives.Count + count, drafted.Workspace!.Initiatives.Count);
        Assert.Contains($"({count} drafted)", run.Stdout);
    }

    [Theory]
    [InlineData("", "Write a brief first")]
    [InlineData("Grow", "--items", "40", "Ask for between 1 and 12 initiatives.")]
    public async Task Bad_input_exits_1_with_the_reason_and_writes_nothing(params string[] args)
    {
        using var dir = new TempFolder();
        var model = TinyModel(dir);
        string[] extra = args.Length > 2 ? [args[1], args[2]] : [];
        var run = await CliRun.Of(["draft", "--model", model, "--brief", args[0], "--roadmap", RepositoryRoot.SampleData("roadmap.json"), "--out", dir.File("x.json"), .. extra]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(args[^1], run.Stderr);
        Assert.False(File.Exists(dir.File("x.json")));
    }

    [Fact]
    public async Task A_decimal_comma_is_a_usage_error_not_a_tenfold_temperature()
    {
        using var dir = new TempFolder();
        var run = await CliRun.Of("draft", "--model", dir.File("m.gguf"), "--brief", "Grow", "--temperature", "0,5");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--temperature needs a number; '0,5' is not one.", run.Stderr);
    }

    [Fact]
    public async Task A_missing_model_file_is_a_clear_error()
    {
        using var dir = new TempFolder();
        var run = await CliRun.Of("draft", "--model", dir.File("none.gguf"), "--brief", "Grow", "--roadmap", RepositoryRoot.SampleData("roadmap.json"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no such model file", run.Stderr);
    }
}
