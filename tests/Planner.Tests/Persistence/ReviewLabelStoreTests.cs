using Planner.Insights.Labelling;
using Planner.Persistence;

namespace Planner.Tests.Persistence;

public class ReviewLabelStoreTests
{
    private static readonly string Key = ReviewKey.Of("QBO import broke again.");

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Labels_are_kept_per_workspace_file_and_column_with_who_set_them(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var labels = new ReviewLabelStore(db.Factory(), TimeProvider.System);

        var model = await labels.SetAsync("Ledgerloom", "reviews.csv", "sentiment", Key, "negative", 0, LabelSource.Model, 0.7, "tiny.gguf", margin: 0.45);
        Assert.True(model.Ok, model.Error);
        Assert.Equal((1, LabelSource.Model, 0.7, "tiny.gguf", 0.45), (model.Saved!.Version, model.Saved.SetBy, model.Saved.Confidence, model.Saved.Model, model.Saved.Margin));
        Assert.Equal(0.45, Assert.Single(await labels.ListAsync("Ledgerloom", "reviews.csv", "sentiment")).Margin); // read back from the database
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => labels.SetAsync("Ledgerloom", "reviews.csv", "sentiment", Key, "negative", 1, LabelSource.Model, 0.7, "tiny.gguf", margin: 1.5));
        var founder = await labels.SetAsync("Ledgerloom", "reviews.csv", "sentiment", Key, " bug ", 1);
        Assert.Null(founder.Replaced);
        Assert.Equal(("bug", 2, LabelSource.Founder, (double?)null, (double?)null), (founder.Saved!.Label, founder.Saved.Version, founder.Saved.SetBy, founder.Saved.Confidence, founder.Saved.Margin));
        // A later model suggestion does not replace the founder's label.
        await labels.SetAsync("Ledgerloom", "reviews.csv", "sentiment", Key, "positive", 2, LabelSource.Model, 0.9, "tiny.gguf");
        await labels.SetAsync("Ledgerloom", "reviews.csv", "category", Key, "pricing", 0);

        var saved = Assert.Single(await labels.ListAsync("Ledgerloom", "reviews.csv", "sentiment"));
        Assert.Equal(("bug", LabelSource.Founder, 2), (saved.Label, saved.SetBy, saved.Version));
        Assert.Equal("pricing", Assert.Single(await labels.ListAsync("Ledgerloom", "reviews.csv", "category")).Label);
        Assert.Empty(await labels.ListAsync("Ledgerloom", "other.csv", "sentiment"));
        Assert.Empty(await labels.ListAsync("Nope", "reviews.csv", "sentiment"));
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Of_two_tabs_labelling_one_review_the_last_write_wins_and_both_are_told(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var labels = new ReviewLabelStore(db.Factory(), TimeProvider.System);
        var told = new List<LabelChange>();
        labels.Changed += told.Add;

        // Both tabs opened the review unlabelled (version 0).
        var first = await labels.SetAsync("Ledgerloom", "reviews.csv", "sentiment", Key, "positive", 0);
        var second = await labels.SetAsync("Ledgerloom", "reviews.csv", "sentiment", Key, "negative", 0);

        Assert.Null(first.Replaced);
        Assert.Contains("had been labelled 'positive' elsewhere", second.Replaced);
        Assert.Equal("negative", Assert.Single(await labels.ListAsync("Ledgerloom", "reviews.csv", "sentiment")).Label);
        Assert.Equal([("positive", 1), ("negative", 2)], told.Select(c => (c.Label!, c.Version)));

        // The first tab's undo names the version it saw: the other tab's label is kept, and the first tab is told.
        var undo = await labels.RemoveAsync("Ledgerloom", "reviews.csv", "sentiment", Key, first.Saved!.Version);
        Assert.Contains("labelled 'negative' elsewhere", undo.Error);
        Assert.Single(await labels.ListAsync("Ledgerloom", "reviews.csv", "sentiment"));
        Assert.True((await labels.RemoveAsync("Ledgerloom", "reviews.csv", "sentiment", Key, 2)).Ok);
        Assert.Empty(await labels.ListAsync("Ledgerloom", "reviews.csv", "sentiment"));
    }

    [Fact]
    public async Task A_label_that_cannot_be_saved_says_why_and_saves_nothing()
    {
        await using var db = await TempDatabase.CreateAsync();
        var labels = new ReviewLabelStore(db.Factory(), TimeProvider.System);

        Assert.Equal("A label cannot be empty.", (await labels.SetAsync("Ledgerloom", "reviews.csv", "sentiment", Key, "  ", 0)).Error);
        Assert.Equal("A label has at most 100 characters (this one has 101).", (await labels.SetAsync("Ledgerloom", "reviews.csv", "sentiment", Key, new string('x', 101), 0)).Error);
        Assert.Equal("Name the label column (e.g. sentiment).", (await labels.SetAsync("Ledgerloom", "reviews.csv", " ", Key, "x", 0)).Error);
        Assert.Equal("There is no workspace named 'Nope'.", (await labels.SetAsync("Nope", "reviews.csv", "sentiment", Key, "x", 0)).Error);
        Assert.Empty(await labels.ListAsync("Ledgerloom", "reviews.csv", "sentiment"));
    }
}
