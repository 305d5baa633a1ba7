using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

/// <summary>One app process, one browser page, one CLI data directory and the bad files, shared by the matrix.</summary>
public sealed class BadInputMatrixFixture : IAsyncLifetime
{
    private readonly BrowserFixture browser = new();

    public string Files { get; } = Built.NewTempDirectory("bad-files");
    public string CliData { get; } = Built.NewTempDirectory("bad-cli");
    public string Models { get; } = Built.NewTempDirectory("bad-models");
    public AppServer App { get; private set; } = default!;
    public IPage Page { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        BadInputFiles.WriteAll(Files);
        foreach (var model in new[] { "short.gguf", "zip.gguf", "huge-count.gguf" })
            File.Copy(Path.Combine(Files, model), Path.Combine(Models, model));
        var app = AppServer.StartAsync(environment: new Dictionary<string, string> { ["Planner__ModelsDirectory"] = Models });
        var seeded = CliProcess.RunAsync(CliData, Files, null, "workspaces"); // the sample workspace, as a founder's first run
        await browser.InitializeAsync();
        App = await app;
        Assert.Equal(0, (await seeded).ExitCode);
        Page = await browser.Browser.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        await App.DisposeAsync();
        foreach (var dir in new[] { Files, CliData, Models })
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The bad-input matrix: roadmap imports, document uploads, model files, command-line arguments and training
/// settings. Every case checks the message (exact or its start; one line where the CLI promises one), that the
/// process is still serving (the web app answers /healthz; the CLI exits 1 or 2 without a stack trace), and that the
/// data directory is unchanged (every database row, every file's hash).</summary>
public sealed partial class BadInputMatrixTests(BadInputMatrixFixture fixture) : IClassFixture<BadInputMatrixFixture>
{
    /// <param name="Args">The command line; "@name" is a file of <see cref="BadInputFiles"/>.</param>
    /// <param name="Message">The start of stderr's first line ("@name" as in Args).</param>
    /// <param name="Problem">For imports, which list their problems under that line: text of the second line. Null:
    /// the message is one line.</param>
    public sealed record CliCase(string[] Args, int ExitCode, string Message, string? Problem = null);

    private const string Docs = "data/sample/docs";

    private static CliCase Import(string file, string problem) => new(["import", $"@{file}"], 1, $"planner: Nothing was imported from {file}. 1 problem:", problem);

    private static CliCase Train(string message, params string[] args) => new(["train", "--corpus", Docs, "--out", "@run", .. args], 1, message);

    private static CliCase Generate(string file, string message) => new(["generate", "--model", $"@{file}", "--prompt", "Hi"], 1, $"planner: {file} {message}");

    private static readonly Dictionary<string, CliCase> CliCases = new()
    {
        ["import: malformed JSON"] = Import("malformed.json", "Not valid roadmap JSON (line 1, position 22): Expected start of a property name or value, but instead reached end of data."),
        ["import: dependency cycle"] = Import("cycle.json", "a, 'dependsOn': Dependency cycle: a -> b -> a (each depends on the next)."),
        ["import: unknown team"] = Import("unknown-team.json", "a, 'demand': Unknown team 'be'"),
        ["import: negative duration"] = Import("negative.json", "a, 'durationWeeks': Duration cannot be negative (got -2)."),
        ["import: duplicate id"] = Import("duplicate.json", "a, 'id': The initiative id 'a' is used 2 times; ids must be unique."),
        ["import: empty file"] = Import("empty.json", "The file is empty."),
        ["import: UTF-16 JSON"] = Import("utf16.json", "The file is UTF-16 text; save it as UTF-8 and import it again."),
        ["import: CSV missing column"] = Import("missing-column.csv", "row 1, 'title': Missing column 'title' (or 'summary')."),
        ["import: CSV bad number"] = Import("bad-number.csv", "row 2, i1, 'durationWeeks': 'two' is not a whole number of weeks"),
        ["import: CSV not UTF-8"] = Import("latin1.csv", "The file is not UTF-8 text; save the CSV as UTF-8 and try again."),
        ["import: 50 MB file"] = new(["import", "@huge.json"], 1, "planner: cannot import huge.json: the file is 50 MB; the limit is 10 MB."),
        ["import: unsupported type"] = new(["import", "@notes.xml"], 1, "planner: 'notes.xml' is not a roadmap file: import .json (a whole roadmap) or .csv (initiatives, or an issue tracker's export)."),
        ["import: no such file"] = new(["import", "@nowhere.json"], 1, "planner: cannot import nowhere.json: no such file."),
        ["args: unknown flag"] = new(["export", "--bogus"], 2, "planner: Unrecognized command or argument '--bogus'."),
        ["args: missing value"] = new(["export", "--workspace"], 2, "planner: Required argument missing for option: '--workspace'."),
        ["args: missing argument"] = new(["import"], 2, "planner: Required argument missing for command: 'import'."),
        ["args: value not among the choices"] = new(["export", "--format", "pdf"], 2, "planner: Argument 'pdf' not recognized. Must be one of: 'json' 'csv' 'md' (see 'planner --help')"),
        ["args: not a number"] = new(["train", "--corpus", Docs, "--out", "@run", "--steps", "abc"], 2, "planner: --steps needs a whole number; 'abc' is not one."),
        ["args: decimal comma"] = new(["train", "--corpus", Docs, "--out", "@run", "--lr", "1,5"], 2, "planner: --lr needs a number; '1,5' is not one."),
        ["args: negative number"] = new(["generate", "--model", "@short.gguf", "--prompt", "Hi", "--max-tokens", "-5"], 1, "planner: --max-tokens must be positive."),
        ["args: output path is a folder"] = new(["export", "--out", "@a-folder"], 1, "planner: Cannot write @a-folder: it is a folder, not a file."),
        ["args: unknown workspace"] = new(["export", "--workspace", "Nope"], 1, "planner: there is no workspace named 'Nope'."),
        ["training: steps 0"] = Train("planner: Steps must be between 1 and 100,000.", "--steps", "0"),
        ["training: negative steps"] = Train("planner: Steps must be between 1 and 100,000.", "--steps", "-3"),
        ["training: batch 0"] = Train("planner: Batch must be between 1 and 64.", "--batch", "0"),
        ["training: context not a multiple of 256"] = Train("planner: The context must be 256, 512, 768 or 1024 tokens (a multiple of 256, which llama.cpp needs).", "--context", "300"),
        ["training: negative learning rate"] = Train("planner: The learning rate must be above 0 and at most 0.1.", "--lr", "-0.001"),
        ["training: unknown preset"] = Train("planner: Unknown preset 'huge'; use tiny, small or gpt2.", "--preset", "huge"),
        ["training: eval interval 0"] = Train("planner: The evaluation interval must be at least one step.", "--eval-interval", "0"),
        ["training: corpus missing"] = new(["train", "--corpus", "@no-corpus", "--out", "@run"], 1, "planner: Corpus '@no-corpus' does not exist."),
        ["training: empty corpus"] = new(["train", "--corpus", "@empty-corpus", "--out", "@run"], 1, "planner: The corpus holds no readable text."),
        ["training: resume without a checkpoint"] = new(["train", "--corpus", Docs, "--out", "@run", "--resume"], 1, "planner: nothing to resume:"),
        ["model: GGUF shorter than its header"] = Generate("short.gguf", "is truncated: 8 bytes, shorter than a GGUF header."),
        ["model: GGUF wrong magic"] = Generate("zip.gguf", "is not a GGUF model file (wrong magic number)."),
        ["model: GGUF huge tensor count"] = Generate("huge-count.gguf", "declares 4611686018427387904 tensors and 2 metadata entries: not a plausible model."),
        ["model: GGUF truncated tensor data"] = Generate("truncated.gguf", "is truncated: its tensors need 262,304 bytes, the file has 144 (an unfinished download?)."),
        ["model: GGUF alignment 0"] = Generate("zero-alignment.gguf", "is corrupt: its alignment 0 is not a power of two."),
        ["model: GGUF dimensions overflow"] = Generate("impossible-dims.gguf", "has a tensor (w) of impossible size: the file is corrupt."),
        ["model: safetensors absurd header length"] = Train("planner: @header-length.safetensors is truncated or not a safetensors file (header claims 4611686018427387904 bytes; the file has 10).", "--init", "@header-length.safetensors"),
        ["model: safetensors offsets past the end"] = Train("planner: @offsets.safetensors is truncated: its tensors need", "--init", "@offsets.safetensors"),
        ["model: safetensors absurd shape"] = Train("planner: @shape.safetensors is corrupted: tensor 'wte.weight' has an impossible shape.", "--init", "@shape.safetensors"),
        ["model: checkpoint with corrupted config"] = new(["eval", "--checkpoint", "@corrupted-checkpoint", "--corpus", Docs], 1, "planner: @corrupted-checkpoint/config.json is corrupted:"),
    };

    /// <summary>Every CLI case: these, and those of the other parts of this class (hostile model files, roadmaps at the
    /// domain's bounds).</summary>
    private static IEnumerable<KeyValuePair<string, CliCase>> AllCliCases => CliCases.Concat(ModelFileCases).Concat(RoadmapBoundCases);

    public static TheoryData<string> CliCaseNames() => [.. AllCliCases.Select(c => c.Key)];

    private string Resolve(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"@([\w.-]+)", m => Path.Combine(fixture.Files, m.Groups[1].Value));

    [Theory]
    [MemberData(nameof(CliCaseNames))]
    public async Task The_cli_refuses_bad_input_with_a_clear_message_and_changes_nothing(string name)
    {
        var bad = AllCliCases.Single(c => c.Key == name).Value;
        var before = DataSnapshot.Take(fixture.CliData);

        var run = await CliProcess.RunAsync(fixture.CliData, Built.RepositoryRoot, null, [.. bad.Args.Select(Resolve)]);

        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("planner: warning:", StringComparison.Ordinal)).ToList();
        Assert.True(bad.ExitCode == run.ExitCode, $"exit {run.ExitCode}, stderr:\n{run.Stderr}");
        Assert.DoesNotContain("Unhandled exception", run.Stderr + run.Stdout);
        Assert.DoesNotContain("   at ", run.Stderr + run.Stdout);
        Assert.StartsWith(Resolve(bad.Message), lines[0]);
        if (bad.Problem is null) Assert.Single(lines);
        else Assert.StartsWith($"  {bad.Problem}", lines[1]);
        Assert.False(Directory.Exists(Path.Combine(fixture.Files, "run")), "a refused training run left an output folder");
        Assert.Equal(before, DataSnapshot.Take(fixture.CliData));
    }

    [Fact]
    public async Task A_compression_bomb_in_a_training_corpus_is_skipped_unread()
    {
        var corpus = Built.NewTempDirectory("bomb-corpus");
        try
        {
            File.Copy(Path.Combine(fixture.Files, "bomb.pdf"), Path.Combine(corpus, "bomb.pdf"));
            var before = DataSnapshot.Take(fixture.CliData);

            var run = await CliProcess.RunAsync(fixture.CliData, Built.RepositoryRoot, null, "train", "--corpus", corpus, "--out", Path.Combine(fixture.Files, "run"));

            Assert.Equal(1, run.ExitCode);
            Assert.Equal([
                $"planner: warning: Skipped {Path.Combine(corpus, "bomb.pdf")}: The PDF unpacks to more than 256 MB (a compression bomb?); it was not read.",
                "planner: The corpus holds no readable text. Training needs at least 257 tokens (about 1028 characters) of text: .txt, .md, .csv, or .pdf with a text layer."],
                run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.False(Directory.Exists(Path.Combine(fixture.Files, "run")));
            Assert.Equal(before, DataSnapshot.Take(fixture.CliData));
        }
        finally
        {
            Directory.Delete(corpus, recursive: true);
        }
    }

    /// <param name="Path">Page to open.</param>
    /// <param name="Input">The file input to set.</param>
    /// <param name="Output">data-testid of where the message appears.</param>
    public sealed record UploadCase(string Path, string Input, string File, string Output, string Message);

    private static readonly Dictionary<string, UploadCase> UploadCases = new()
    {
        ["upload: empty"] = new("/documents", "#upload-documents", "empty.txt", "upload-messages", "empty.txt: The file is empty."),
        ["upload: binary"] = new("/documents", "#upload-documents", "binary.txt", "upload-messages", "binary.txt: The file is binary, not text."),
        ["upload: invalid UTF-8"] = new("/documents", "#upload-documents", "latin1.md", "upload-messages", "latin1.md: The file is not UTF-8 text; save it as UTF-8 and upload it again."),
        ["upload: zip named .pdf"] = new("/documents", "#upload-documents", "archive.pdf", "upload-messages", "archive.pdf: The file is named .pdf but is not a PDF."),
        ["upload: compression-bomb PDF"] = new("/documents", "#upload-documents", "bomb.pdf", "upload-messages", "bomb.pdf: The PDF unpacks to more than 256 MB (a compression bomb?); it was not read."),
        ["upload: 200 MB"] = new("/documents", "#upload-documents", "big.pdf", "upload-messages", "big.pdf: the file is 200 MB; documents are limited to 20 MB."),
        ["upload: unsupported type"] = new("/documents", "#upload-documents", "tool.exe", "upload-messages", "tool.exe: 'tool.exe' is not a supported document: upload .txt, .md, .pdf or .csv."),
        ["web import: malformed JSON"] = new("/", "#import-file", "malformed.json", "import-outcome", "Nothing was imported from malformed.json."),
        ["web import: dependency cycle"] = new("/", "#import-file", "cycle.json", "import-outcome", "Nothing was imported from cycle.json."),
        ["web import: 50 MB"] = new("/", "#import-file", "huge.json", "import-outcome", "huge.json is 50 MB; roadmap files are limited to 10 MB. Nothing was imported."),
    };

    public static TheoryData<string> UploadCaseNames() => [.. UploadCases.Keys];

    [Theory]
    [MemberData(nameof(UploadCaseNames))]
    public async Task The_web_app_refuses_a_bad_file_with_a_clear_message_keeps_serving_and_changes_nothing(string name)
    {
        var bad = UploadCases[name];
        var before = DataSnapshot.Take(fixture.App.DataDirectory);
        await OpenAsync(bad.Path);

        await fixture.Page.SetInputFilesAsync(bad.Input, Path.Combine(fixture.Files, bad.File));

        await Expect(fixture.Page.GetByTestId(bad.Output)).ToContainTextAsync(bad.Message, new() { Timeout = 20_000 });
        await AssertServingAndUnchangedAsync(before);
    }

    [Fact]
    public async Task The_web_app_refuses_training_settings_out_of_range()
    {
        var before = DataSnapshot.Take(fixture.App.DataDirectory);
        await OpenAsync("/training");
        await fixture.Page.SelectOptionAsync("#train-data", "sample");
        foreach (var (steps, batch, message) in new[] { ("0", "4", "Steps must be between 1 and 100,000."), ("10", "0", "Batch must be between 1 and 64.") })
        {
            await fixture.Page.FillAsync("#train-steps", steps);
            await fixture.Page.FillAsync("#train-batch", batch);
            await fixture.Page.ClickAsync("#train-start");
            await Expect(fixture.Page.GetByTestId("train-error")).ToHaveTextAsync(message);
        }
        await Expect(fixture.Page.GetByTestId("training-run")).ToHaveCountAsync(0);
        await AssertServingAndUnchangedAsync(before);
    }

    [Fact]
    public async Task The_models_page_lists_broken_model_files_with_their_problem_and_keeps_serving()
    {
        var before = DataSnapshot.Take(fixture.App.DataDirectory);
        using var http = new HttpClient();
        var page = WebUtility.HtmlDecode(await http.GetStringAsync(fixture.App.BaseUrl + "/models"));
        Assert.Contains("short.gguf is truncated: 8 bytes, shorter than a GGUF header.", page);
        Assert.Contains("zip.gguf is not a GGUF model file (wrong magic number).", page);
        Assert.Contains("huge-count.gguf declares 4611686018427387904 tensors and 2 metadata entries: not a plausible model.", page);
        await AssertServingAndUnchangedAsync(before);
    }

    private async Task OpenAsync(string path)
    {
        var page = fixture.Page;
        if (new Uri(page.Url is "about:blank" ? fixture.App.BaseUrl : page.Url).AbsolutePath == path) return;
        await page.GotoAsync(fixture.App.BaseUrl + path);
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
    }

    private async Task AssertServingAndUnchangedAsync(string before)
    {
        using var http = new HttpClient();
        var health = await http.GetAsync(fixture.App.BaseUrl + "/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(before, DataSnapshot.Take(fixture.App.DataDirectory));
    }
}
