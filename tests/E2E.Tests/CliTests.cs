
namespace Planner.E2E.Tests;

/// <summary>The built `planner` command run as a real process against its own data directory.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string data = Built.NewTempDirectory("cli");
    private readonly string work = Built.NewTempDirectory("cli-files");

    private Task<CliProcess.Run> Planner(params string[] args) => CliProcess.RunAsync(data, work, null, args);

    private string File(string name) => Path.Combine(work, name);

    [Fact]
    public async Task Export_import_export_round_trips_the_sample_byte_for_byte_in_every_format()
    {
        foreach (var format in new[] { "json", "csv", "md" })
        {
            var first = await Planner("export", "--format", format, "--out", File($"first.{format}"));
            Assert.Equal(0, first.ExitCode);
            if (format != "md")
            {
                var import = await Planner("import", File($"first.{format}"));
                Assert.True(import.ExitCode == 0, import.Stderr);
                Assert.Contains("The previous roadmap is kept as version", import.Stdout);
            }
            var second = await Planner("export", "--format", format);
            Assert.Equal(0, second.ExitCode);
            var expected = await System.IO.File.ReadAllTextAsync(File($"first.{format}"));
            if (format == "md")
            {
                // The Markdown carries a computed plan: both exports have one, and everything the roadmap itself says is
                // the same. (The plan's dates come from a solve bounded by the clock, so a loaded machine may end two
                // solves of one roadmap at different, equally valid plans.)
                Assert.Contains("Computed plan: ", expected);
                Assert.Contains("Computed plan: ", second.Stdout);
                (expected, var actual) = (WithoutComputedPlan(expected), WithoutComputedPlan(second.Stdout));
                Assert.Equal(expected, actual);
            }
            else Assert.Equal(expected, second.Stdout);
        }
        var list = await Planner("workspaces");
        Assert.Contains("Ledgerloom: 36 initiatives, 5 teams", list.Stdout);
        Assert.Contains("Before import of first.json", list.Stdout);
    }

    [Fact]
    public async Task Usage_errors_exit_2_and_help_lists_the_commands()
    {
        var bad = await Planner("export", "--format", "pdf");
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("planner: ", bad.Stderr);
        var help = await Planner("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("import", help.Stdout);
        Assert.Contains("export", help.Stdout);
    }

    [Fact]
    public async Task Schedule_prints_the_contract_json_for_the_sample()
    {
        var roadmap = Path.Combine(Built.RepositoryRoot, "data", "sample", "roadmap.json");
        var run = await Planner("schedule", roadmap, "--time-limit", "2", "--out", File("schedule.json"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = System.Text.Json.JsonDocument.Parse(await System.IO.File.ReadAllTextAsync(File("schedule.json")));
        var root = json.RootElement;
        Assert.Contains(root.GetProperty("status").GetString(), new[] { "optimal", "feasible" });
        Assert.Equal("makespan", root.GetProperty("objective").GetString());
        var makespan = root.GetProperty("makespanWeeks").GetInt32();
        Assert.True(root.GetProperty("lowerBoundWeeks").GetInt32() <= makespan);
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(34, items.Count); // the sample's 36 initiatives less 2 done
        Assert.All(items, i => Assert.True(i.GetProperty("finishWeek").GetInt32() >= i.GetProperty("startWeek").GetInt32()));
        Assert.Equal(makespan, items.Max(i => i.GetProperty("finishWeek").GetInt32()));
        Assert.Equal(System.Text.Json.JsonValueKind.Array, root.GetProperty("problems").ValueKind);
    }

    [Fact]
    public async Task Schedule_of_an_impossible_roadmap_exits_1_and_explains()
    {
        await System.IO.File.WriteAllTextAsync(File("tight.json"), """
            {"name": "t", "start": "2027-01-04", "teams": [{"id": "be", "name": "Backend", "capacity": 4}],
             "initiatives": [{"id": "i7", "title": "Rewrite", "durationWeeks": 3, "demand": {"be": 5}}]}
            """);
        var run = await Planner("schedule", File("tight.json"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("\"status\": \"infeasible\"", run.Stdout);
        Assert.Contains("Needs 5 people of Backend, which never has more than 4.", run.Stdout);
    }

    [Fact]
    public async Task Scenario_prints_what_moves_and_json_on_request()
    {
        var roadmap = Path.Combine(Built.RepositoryRoot, "data", "sample", "roadmap.json");
        var text = await Planner("scenario", roadmap, "--change", "capacity be -2 from week 12", "--time-limit", "1");
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.StartsWith("With be −2 people from 2027-03-29: everything finishes", text.Stdout);
        var json = await Planner("scenario", roadmap, "--change", "cut i33", "--change", "delay i5 3", "--json", "--time-limit", "1");
        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = System.Text.Json.JsonDocument.Parse(json.Stdout);
        Assert.Equal(["cut i33", "delay i5 by 3 weeks"], doc.RootElement.GetProperty("changes").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains(doc.RootElement.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == "i33" && i.GetProperty("scenarioStart").ValueKind == System.Text.Json.JsonValueKind.Null);
        var bad = await Planner("scenario", roadmap, "--change", "make it faster");
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("planner: Cannot read the change 'make it faster'", bad.Stderr);
    }

    [Fact]
    public async Task A_custom_llama_cpp_library_is_the_one_that_runs_the_model()
    {
        // The copied build is the x64 Linux one the app ships (the test machines' platform).
        Assert.True(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64,
            "this test copies the linux-x64 llama.cpp build");
        // The app ships several CPU builds of llama.cpp and picks one by the processor's features; a copy of the build
        // without AVX, set as the custom library (as a CUDA build would be), must be the one loaded and used.
        var shipped = Path.Combine(Path.GetDirectoryName(Built.CliDll)!, "runtimes", "linux-x64", "native", "noavx");
        var custom = Path.Combine(work, "my llama build"); // a space in the path, as users' folders have
        Directory.CreateDirectory(custom);
        foreach (var library in new[] { "libllama.so", "libggml.so", "libggml-base.so", "libggml-cpu.so" })
            System.IO.File.Copy(Path.Combine(shipped, library), Path.Combine(custom, library));
        var model = File("tiny.gguf");
        TinyModel.Write(model, "tiny", context: 256, seed: 3);
        string[] generate = ["generate", "--model", model, "--prompt", "Customers want", "--max-tokens", "4", "--seed", "1"];
        var environment = new Dictionary<string, string> { ["Planner__Llm__NativeLibrary"] = Path.Combine(custom, "libllama.so") };

        var run = await CliProcess.RunAsync(data, work, null, environment, generate);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.StartsWith("Customers want", run.Stdout);
        var said = run.Stderr.Split('\n').Single(l => l.StartsWith("llama.cpp: ", StringComparison.Ordinal));
        Assert.Contains($"custom build {Path.Combine(custom, "libllama.so")};", said);
        Assert.DoesNotContain("AVX = 1", said); // the build without AVX, not the one the loader would have picked
        Assert.Contains("no GPU offload", said);

        // A GPU cannot be asked of a CPU build: a clear message, no output.
        var cuda = await CliProcess.RunAsync(data, work, null, environment, [.. generate, "--device", "cuda"]);
        Assert.Equal(1, cuda.ExitCode);
        Assert.Contains("cannot offload to a GPU", cuda.Stderr);
        Assert.Contains("Planner__Llm__NativeLibrary", cuda.Stderr);
        Assert.Equal("", cuda.Stdout);

        // Without the setting, the bundled build runs and nothing is said about it.
        var bundled = await CliProcess.RunAsync(data, work, null, generate);
        Assert.True(bundled.ExitCode == 0, bundled.Stderr);
        Assert.DoesNotContain("llama.cpp: ", bundled.Stderr);
    }

    public void Dispose()
    {
        Directory.Delete(data, recursive: true);
        Directory.Delete(work, recursive: true);
    }

    /// <summary>The Markdown export without what the scheduler computed: the plan line and the Start and Finish columns.</summary>
    private static string WithoutComputedPlan(string markdown) => string.Join('\n', markdown.ReplaceLineEndings("\n").Split('\n')
        .Where(line => !line.StartsWith("Computed plan: ", StringComparison.Ordinal))
        .Select(line => System.Text.RegularExpressions.Regex.Replace(line, @"\| (\d{4}-\d{2}-\d{2})? \| (\d{4}-\d{2}-\d{2})? \|$", "| date | date |")));
}
