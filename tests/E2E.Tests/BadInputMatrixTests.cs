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
    /// <summary>One command line of each kind of the matrix (<see cref="BadCliInputs"/>), through the built binary: the
    /// process boundary (exit code, the message on stderr alone, no stack trace). Cli.Tests runs every case through the
    /// same command tree in-process.</summary>
    public static TheoryData<string> CliCaseNames() =>
    [
        "import: malformed JSON", "import: 50 MB file", "args: unknown flag", "args: value not among the choices", "args: unknown workspace",
        "training: batch 0", "model: GGUF arrays nested 300,000 deep", "model: safetensors offsets summing past 2^63", "bounds: lag 2^31-1",
        "bounds: scenario delay 99999999999",
    ];

    private string Resolve(string text) => BadCliInputs.Resolve(text, fixture.Files);

    [Theory]
    [MemberData(nameof(CliCaseNames))]
    public async Task The_cli_refuses_bad_input_with_a_clear_message_and_changes_nothing(string name)
    {
        var bad = BadCliInputs.All[name];
        var before = DataSnapshot.Take(fixture.CliData);

        var run = await CliProcess.RunAsync(fixture.CliData, Built.RepositoryRoot, null, [.. bad.Args.Select(Resolve)]);

        Assert.Null(bad.Mismatch(run.ExitCode, run.Stdout, run.Stderr, fixture.Files));
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
        // Always a fresh load: reusing a page the previous case left (its circuit perhaps reconnecting after a refused
        // upload) once lost a case's message.
        var page = fixture.Page;
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
