namespace Planner.Cli.Tests.Commands;

public sealed class LabelCommandTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private string Model() => TinyModel.Write(folder.File("tiny.gguf"), "tiny-label", context: 1024, seed: 5);

    [Fact]
    public async Task Unlabelled_reviews_get_a_label_of_the_set_and_the_labelled_ones_measure_the_agreement()
    {
        var reviews = folder.Write("reviews.csv", """
            id,text,sentiment
            r1,QBO import broke again.,negative
            r2,Love the reminders.,positive
            r3,Sync failed twice this week.,negative
            r4,Great support team.,positive
            r5,The new dashboard is slow.,
            r6,Reminders saved us hours.,
            """);

        var run = await CliRun.Of("label", "--reviews", reviews, "--column", "sentiment", "--model", Model(), "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = run.Json;
        Assert.Equal(["negative", "positive"], json.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        var suggestions = json.GetProperty("suggestions").EnumerateArray().ToList();
        Assert.Equal(["r5", "r6"], suggestions.Select(s => s.GetProperty("id").GetString()));
        Assert.All(suggestions, s => Assert.Contains(s.GetProperty("label").GetString(), new[] { "negative", "positive" }));
        Assert.All(suggestions, s => Assert.InRange(s.GetProperty("confidence").GetDouble(), 0.0, 1.0));
        var agreement = json.GetProperty("agreement");
        Assert.Equal(4, agreement.GetProperty("checked").GetInt32());
        var checkedReviews = agreement.GetProperty("reviews").EnumerateArray().ToList();
        Assert.Equal(checkedReviews.Count(r => r.GetProperty("label").GetString() == r.GetProperty("columnLabel").GetString()), agreement.GetProperty("agreed").GetInt32());
        Assert.Equal(0.5, agreement.GetProperty("majorityClassAccuracy").GetDouble());

        var text = await CliRun.Of("label", "--reviews", reviews, "--column", "sentiment", "--model", Model(), "--shots", "0", "--limit", "1");
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("Labelling with tiny.gguf (zero-shot)", text.Stderr);
        Assert.Matches(@"Suggested 'sentiment' labels for 1 unlabelled review:\n  r5 +(negative|positive) +confidence \d+%", text.Stdout.ReplaceLineEndings("\n"));
        Assert.Matches(@"Agreement with the column's labels: \d of 1 \(\d+\.0%\)", text.Stdout);
    }

    [Fact]
    public async Task Saved_suggestions_are_the_models_labels_in_the_workspace_and_never_replace_the_founders()
    {
        var reviews = folder.Write("reviews.csv", "id,text,urgency\nr1,Bank feed stopped.,high\nr2,Nice colours.,low\nr3,Export crashed.,\nr4,Love it.,\n");
        var data = folder.File("data");
        var factory = Persistence.PlannerDbContextFactory.ForSqlite(new Files.PlannerPaths(data).DatabaseFile);
        var store = new Persistence.ReviewLabelStore(factory, TimeProvider.System);
        var first = await CliRun.Of("label", "--reviews", reviews, "--column", "urgency", "--model", Model(), "--limit", "1", "--save", "--data-dir", data);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("Kept 1 suggestion in workspace 'Ledgerloom' as tiny.gguf's labels of reviews.csv · urgency.", first.Stderr);
        var workspace = "Ledgerloom";
        Assert.True((await store.SetAsync(workspace, "reviews.csv", "urgency", Insights.Labelling.ReviewKey.Of("Love it."), "high", 0)).Ok);

        var second = await CliRun.Of("label", "--reviews", reviews, "--column", "urgency", "--model", Model(), "--save", "--data-dir", data);
        Assert.True(second.ExitCode == 0, second.Stderr);
        var saved = await store.ListAsync(workspace, "reviews.csv", "urgency");
        Assert.Equal(2, saved.Count);
        var model = saved.Single(l => l.ReviewKey == Insights.Labelling.ReviewKey.Of("Export crashed."));
        Assert.Equal((Insights.Labelling.LabelSource.Model, "tiny.gguf"), (model.SetBy, model.Model));
        Assert.InRange(model.Confidence!.Value, 0, 1);
        var founder = saved.Single(l => l.ReviewKey == Insights.Labelling.ReviewKey.Of("Love it."));
        Assert.Equal(("high", Insights.Labelling.LabelSource.Founder), (founder.Label, founder.SetBy));

        // The export fills in the founder's labels only (not the model's), for train-classifier.
        var exported = await CliRun.Of("label", "--reviews", reviews, "--column", "urgency", "--export", folder.File("labelled.csv"), "--data-dir", data);
        Assert.True(exported.ExitCode == 0, exported.Stderr);
        Assert.Equal("Wrote labelled.csv: 4 reviews, 1 with your labels from workspace 'Ledgerloom', 3 with a 'urgency' label in all.", exported.Stdout.Trim());
        Assert.Equal("id,text,urgency\nr1,Bank feed stopped.,high\nr2,Nice colours.,low\nr3,Export crashed.,\nr4,Love it.,high\n", await File.ReadAllTextAsync(folder.File("labelled.csv")));
        Assert.Contains("Not yet trainable: 'low' has only one example", exported.Stderr);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task A_column_without_labels_needs_the_label_set_and_bad_sets_are_refused()
    {
        var reviews = folder.Write("reviews.csv", "id,text\nr1,Slow.\nr2,Fast.\n");

        var none = await CliRun.Of("label", "--reviews", reviews, "--column", "sentiment", "--model", "missing.gguf");
        Assert.Equal((1, "planner: reviews.csv has no labels in a 'sentiment' column: give the label set with --labels a,b,c."), (none.ExitCode, none.Stderr.Trim()));
        var one = await CliRun.Of("label", "--reviews", reviews, "--column", "sentiment", "--labels", "good");
        Assert.Contains("Give at least two labels", one.Stderr);

        var typo = await CliRun.Of("label", "--reviews", reviews, "--column", "sentiment", "--labels", "Positive,positive ,negative", "--model", Model(), "--json");
        Assert.True(typo.ExitCode == 0, typo.Stderr);
        Assert.Contains("warning: 'Positive' and 'positive' look like one class spelt two ways", typo.Stderr);
        Assert.Equal(2, typo.Json.GetProperty("suggestions").GetArrayLength());
    }

    [Fact]
    public async Task Bad_files_and_options_are_refused_by_name_and_utf16_and_a_1_mb_review_are_labelled()
    {
        var csv = "id,text,sentiment\nr1,Import broke again.,negative\nr2,Love the reminders.,positive\nr3,Sync is slow.,\n";
        var reviews = folder.Write("reviews.csv", csv);
        foreach (var (args, said) in new (string[], string)[]
                 {
                     (["--shots", "9"], "planner: --shots must be between 0 and 8."),
                     (["--limit", "0"], "planner: --limit must be at least 1."),
                 })
        {
            var refused = await CliRun.Of(["label", "--reviews", reviews, "--column", "sentiment", "--model", Model(), .. args]);
            Assert.Equal((1, "", said), (refused.ExitCode, refused.Stdout, refused.Stderr.Trim()));
        }
        var missing = await CliRun.Of("label", "--reviews", folder.File("none.csv"), "--column", "sentiment", "--model", Model());
        Assert.Equal((1, "planner: none.csv: no such file."), (missing.ExitCode, missing.Stderr.Trim()));

        // Windows-1252 bytes that are not UTF-8 ("café" with é as 0xE9): refused by name, nothing labelled.
        var latin = folder.File("latin.csv");
        await File.WriteAllBytesAsync(latin, [.. System.Text.Encoding.ASCII.GetBytes("id,text,sentiment\nr1,Caf"), 0xE9, .. System.Text.Encoding.ASCII.GetBytes(" app is slow.,\n")]);
        var other = await CliRun.Of("label", "--reviews", latin, "--column", "sentiment", "--labels", "negative,positive", "--model", Model());
        Assert.Equal((1, ""), (other.ExitCode, other.Stdout));
        Assert.Contains("latin.csv is not UTF-8 or UTF-16 text", other.Stderr);

        // The same reviews saved as UTF-16 (as spreadsheets do), and a review of 1 MB: read and labelled.
        var utf16 = folder.File("utf16.csv");
        await File.WriteAllBytesAsync(utf16, [.. System.Text.Encoding.Unicode.GetPreamble(), .. System.Text.Encoding.Unicode.GetBytes(csv + "r4," + new string('x', 1_000_000) + ",\n")]);
        var read = await CliRun.Of("label", "--reviews", utf16, "--column", "sentiment", "--model", Model(), "--json");
        Assert.True(read.ExitCode == 0, read.Stderr);
        var suggestions = read.Json.GetProperty("suggestions").EnumerateArray().ToList();
        Assert.Equal(["r3", "r4"], suggestions.Select(x => x.GetProperty("id").GetString()));
        Assert.All(suggestions, x => Assert.Contains(x.GetProperty("label").GetString(), new[] { "negative", "positive" }));
    }
}
