namespace Planner.Cli.Tests.Commands;

/// <summary>A tiny sentiment classifier (one layer, 32 wide) trained once (one step) on the sample reviews, shared by the
/// tests below.</summary>
public sealed class SentimentClassifierFixture : IAsyncLifetime
{
    private readonly TempFolder folder = new();

    public string Checkpoint => folder.File("sentiment/checkpoint");

    public async Task InitializeAsync()
    {
        var train = await CliRun.Of("train-classifier", "--data", RepositoryRoot.SampleData("reviews.csv"), "--label-column", "sentiment", "--preset", "tiny",
            "--layers", "1", "--width", "32", "--heads", "2", "--steps", "1", "--batch", "2", "--eval-interval", "1", "--no-domain-pretraining", "--out", folder.File("sentiment"), "--device", "cpu");
        Assert.True(train.ExitCode == 0, train.Stderr);
    }

    public Task DisposeAsync()
    {
        folder.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class EvidenceCommandTests(SentimentClassifierFixture classifier) : IClassFixture<SentimentClassifierFixture>
{
    [Fact]
    public async Task Evidence_for_a_roadmap_file_lists_matched_reviews_with_quotes_that_link_back_and_say_why()
    {
        var run = await CliRun.Of("evidence", "--checkpoint", classifier.Checkpoint, "--reviews", RepositoryRoot.SampleData("reviews.csv"),
            "--roadmap", RepositoryRoot.SampleData("roadmap.json"), "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(212, run.Json.GetProperty("reviews").GetInt32());
        Assert.Contains("sentiment (negative, neutral, positive)", run.Json.GetProperty("classifier").GetString());
        Assert.EndsWith("; matches checked by meaning (all-MiniLM-L6-v2 sentence embeddings)", run.Json.GetProperty("classifier").GetString());
        var initiatives = run.Json.GetProperty("initiatives").EnumerateArray().ToList();
        Assert.Equal(36, initiatives.Count);

        var invoicing = initiatives.Single(i => i.GetProperty("id").GetString() == "i16").GetProperty("evidence");
        var quotes = invoicing.GetProperty("sources").EnumerateArray().ToList();
        var r131 = quotes.Single(q => q.GetProperty("reviewId").GetString() == "r131");
        Assert.Contains("invoice", r131.GetProperty("matchedTerms").EnumerateArray().Select(t => t.GetString()));
        Assert.All(quotes.Where(q => !q.TryGetProperty("decision", out _)), q => Assert.InRange(q.GetProperty("similarity").GetDouble(), 0.35, 1.0));
        Assert.Contains(r131.GetProperty("sentiment").GetString(), new[] { "negative", "neutral", "positive" });
        var shares = invoicing.GetProperty("sentiment").EnumerateArray().Sum(s => s.GetProperty("share").GetDouble());
        Assert.Equal(1.0, shares, 6);

        // The sample roadmap holds no evidence yet: every initiative with evidence is a change.
        var withEvidence = initiatives.Count(i => i.TryGetProperty("evidence", out _));
        Assert.Equal(withEvidence, run.Json.GetProperty("changes").GetArrayLength());
    }

    [Fact]
    public async Task Saved_evidence_is_on_the_workspace_and_rerunning_reports_no_change()
    {
        using var dir = new TempFolder();
        string[] args = ["evidence", "--checkpoint", classifier.Checkpoint, "--reviews", RepositoryRoot.SampleData("reviews.csv"), "--data-dir", dir.Path];
        var first = await CliRun.Of([.. args, "--save"]);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("i31   Dark mode — 2 reviews (1%)", first.Stdout);
        Assert.Matches(@"matched: dark, mode[^;)]*; meaning 0\.\d\d\)", first.Stdout);
        Assert.Contains("  i31   new: 2 reviews (1%)", first.Stdout);
        Assert.Matches(@"Saved: \d+ initiatives updated\.", first.Stdout);

        var exported = await CliRun.Of("export", "--format", "json", "--data-dir", dir.Path);
        Assert.Contains("\"reviewId\": \"r055\"", exported.Stdout);

        var second = await CliRun.Of(args);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("No change against the evidence on the roadmap.", second.Stdout);
    }

    [Fact]
    public async Task Bad_input_exits_1_with_a_one_line_reason()
    {
        using var dir = new TempFolder();
        var noText = await CliRun.Of("evidence", "--checkpoint", classifier.Checkpoint, "--reviews", dir.Write("labels.csv", "id,rating\nr1,5\n"),
            "--roadmap", RepositoryRoot.SampleData("roadmap.json"));
        Assert.Equal(1, noText.ExitCode);
        Assert.Contains("labels.csv has no review text column (columns: id, rating)", noText.Stderr);

        var missing = await CliRun.Of("evidence", "--checkpoint", classifier.Checkpoint, "--reviews", dir.File("nope.csv"), "--roadmap", RepositoryRoot.SampleData("roadmap.json"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("nope.csv: no such file", missing.Stderr);

        var notCheckpoint = await CliRun.Of("evidence", "--checkpoint", dir.Path, "--reviews", RepositoryRoot.SampleData("reviews.csv"), "--roadmap", RepositoryRoot.SampleData("roadmap.json"));
        Assert.Equal(1, notCheckpoint.ExitCode);
        Assert.Contains("is neither a checkpoint", notCheckpoint.Stderr);

        foreach (var run in new[] { noText, missing, notCheckpoint }) Assert.Single(run.Stderr.Trim().Split('\n'));

        var usage = await CliRun.Of("evidence", "--reviews", RepositoryRoot.SampleData("reviews.csv"));
        Assert.Equal(2, usage.ExitCode);
    }
}
