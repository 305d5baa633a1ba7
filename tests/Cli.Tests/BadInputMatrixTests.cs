namespace Planner.Cli.Tests;

/// <summary>The bad files and one seeded data directory, shared by the matrix.</summary>
public sealed class BadInputMatrixFixture : IAsyncLifetime
{
    private readonly TempFolder folder = new("bad-cli");

    public string Files => folder.File("files");
    public string Data => folder.File("data");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Files);
        BadInputFiles.WriteAll(Files);
        var seeded = await CliRun.Of("--data-dir", Data, "workspaces"); // the sample workspace, as a founder's first run
        Assert.True(seeded.ExitCode == 0, seeded.Stderr);
    }

    public Task DisposeAsync()
    {
        folder.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Every command line of the bad-input matrix (<see cref="BadCliInputs"/>: roadmap imports, arguments,
/// training settings, hostile model files, roadmaps past the domain's bounds) through the real command tree: the
/// message (exact or its start; one line where the CLI promises one), exit 1 or 2 without a stack trace, and the data
/// directory unchanged (every database row, every file's hash). The browser suite runs one case of each kind through the
/// built binary.</summary>
public sealed class BadInputMatrixTests(BadInputMatrixFixture fixture) : IClassFixture<BadInputMatrixFixture>
{
    public static TheoryData<string> CaseNames() => [.. BadCliInputs.All.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task The_cli_refuses_bad_input_with_a_clear_message_and_changes_nothing(string name)
    {
        var bad = BadCliInputs.All[name];
        var before = DataSnapshot.Take(fixture.Data);

        var run = await CliRun.Of(["--data-dir", fixture.Data, .. bad.Args.Select(a => BadCliInputs.Resolve(a, fixture.Files))]);

        Assert.Null(bad.Mismatch(run.ExitCode, run.Stdout, run.Stderr, fixture.Files));
        Assert.False(Directory.Exists(Path.Combine(fixture.Files, "run")), "a refused training run left an output folder");
        Assert.Equal(before, DataSnapshot.Take(fixture.Data));
    }
}
