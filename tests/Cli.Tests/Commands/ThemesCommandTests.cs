namespace Planner.Cli.Tests.Commands;

public sealed class ThemesCommandTests : IDisposable
{
    private readonly TempFolder folder = new();
    private static string Sample => RepositoryRoot.SampleData("reviews.csv");

    [Fact]
    public async Task Themes_prints_each_theme_with_its_terms_size_months_and_typical_reviews_and_json_lists_every_review()
    {
        var text = await CliRun.Of("themes", "--reviews", Sample, "--themes", "4", "--examples", "1");
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.StartsWith("4 themes in 212 reviews (pretrained sentence encoder (all-MiniLM-L6-v2) embeddings", text.Stdout);
        var lines = text.Stdout.Split('\n');
        Assert.Equal(4, lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d\. .+ — \d+ reviews \(\d+%\)$")));
        Assert.Equal(4, lines.Count(l => l.StartsWith("   terms: ", StringComparison.Ordinal)));
        Assert.Equal(4, lines.Count(l => l.StartsWith("   per month: 2026-01 ", StringComparison.Ordinal)));
        Assert.Equal(4, lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^   r\d{3}: ")));

        var json = await CliRun.Of("themes", "--reviews", Sample, "--themes", "4", "--json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        var themes = json.Json.GetProperty("themes").EnumerateArray().ToList();
        Assert.Equal(4, themes.Count);
        var ids = themes.SelectMany(t => t.GetProperty("reviews").EnumerateArray().Select(r => r.GetString())).ToList();
        Assert.Equal(212, ids.Distinct().Count());
        Assert.Equal(themes.Select(t => t.GetProperty("count").GetInt32()), themes.Select(t => t.GetProperty("reviews").GetArrayLength()));
    }

    [Fact]
    public async Task Themes_from_the_reviews_words_alone_are_a_choice_and_an_unknown_space_is_refused()
    {
        var terms = await CliRun.Of("themes", "--reviews", Sample, "--themes", "3", "--space", "terms", "--examples", "0");
        Assert.True(terms.ExitCode == 0, terms.Stderr);
        Assert.StartsWith("3 themes in 212 reviews (TF-IDF word 1–2-grams", terms.Stdout);

        var unknown = await CliRun.Of("themes", "--reviews", Sample, "--space", "vibes");
        Assert.Equal(2, unknown.ExitCode); // a usage error
        Assert.Contains("vibes", unknown.Stderr);
        Assert.Contains("encoder", unknown.Stderr);
        Assert.Equal("", unknown.Stdout);
    }

    [Fact]
    public async Task The_chat_model_names_each_theme_beside_its_terms_name()
    {
        var model = TinyModel.Write(folder.File("tiny.gguf"), "tiny-namer", context: 1024, seed: 5);
        var json = await CliRun.Of("themes", "--reviews", Sample, "--themes", "3", "--model", model, "--json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        Assert.Contains("Naming 3 themes with tiny.gguf", json.Stderr);
        var themes = json.Json.GetProperty("themes").EnumerateArray().ToList();
        Assert.Equal(3, themes.Count);
        foreach (var theme in themes)
        {
            // A random-weight model names nothing sensibly; the grammar still makes each answer a short title, and the
            // terms' name is kept beside it.
            var name = theme.GetProperty("modelName").GetString()!;
            Assert.True(Planner.Assistant.Labelling.ThemeNamer.IsName(name), name);
            Assert.Equal("tiny.gguf", theme.GetProperty("namedBy").GetString());
            Assert.NotEqual("", theme.GetProperty("name").GetString());
        }

        var text = await CliRun.Of("themes", "--reviews", Sample, "--themes", "3", "--model", model, "--examples", "0");
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Equal(3, text.Stdout.Split('\n').Count(l => l.StartsWith("   named by tiny.gguf; from its terms: ", StringComparison.Ordinal)));
        Assert.Contains($"1. {themes[0].GetProperty("modelName").GetString()} — ", text.Stdout);

        var missing = await CliRun.Of("themes", "--reviews", Sample, "--model", folder.File("none.gguf"));
        Assert.Equal((1, ""), (missing.ExitCode, missing.Stdout));
        Assert.Contains("none.gguf", missing.Stderr);
    }

    [Fact]
    public async Task Reviews_that_cannot_be_grouped_are_refused_with_the_reason()
    {
        var few = Path.Combine(folder.Path, "few.csv");
        await File.WriteAllLinesAsync(few, ["id,text", .. Enumerable.Range(1, 6).Select(i => $"r{i},The export broke again {i}")]);
        var tooFew = await CliRun.Of("themes", "--reviews", few);
        Assert.Equal((1, ""), (tooFew.ExitCode, tooFew.Stdout));
        Assert.Equal("planner: 6 texts are too few to group into themes; at least 10 are needed.", tooFew.Stderr.Trim());

        var one = await CliRun.Of("themes", "--reviews", Sample, "--themes", "1");
        Assert.Equal(1, one.ExitCode);
        Assert.Contains("1 themes cannot be made from 212 texts; ask for 2 to 106.", one.Stderr);

        var missing = await CliRun.Of("themes", "--reviews", Path.Combine(folder.Path, "nope.csv"));
        Assert.Equal((1, "planner: nope.csv: no such file."), (missing.ExitCode, missing.Stderr.Trim()));

        var noText = Path.Combine(folder.Path, "notext.csv");
        await File.WriteAllTextAsync(noText, "id,rating\nr1,5\n");
        var unreadable = await CliRun.Of("themes", "--reviews", noText);
        Assert.Equal(1, unreadable.ExitCode);
        Assert.Contains("has no review text column", unreadable.Stderr);
    }

    public void Dispose() => folder.Dispose();
}
