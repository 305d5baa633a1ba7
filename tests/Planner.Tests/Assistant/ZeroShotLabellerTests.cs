using Planner.Assistant;
using Planner.Assistant.Labelling;
using Planner.Llm;

namespace Planner.Tests.Assistant;

public sealed class ZeroShotLabellerTests : Planner.Tests.Llm.OpenAiServerContext
{
    private static readonly PromptLibrary Prompts = PromptLibrary.Load(PromptLibrary.DefaultFolder);
    private static readonly string[] Sentiments = ["negative", "neutral", "positive"];
    private ChatBackend Backend() => ServerBackend("labeller-7b");

    [Fact]
    public async Task A_server_is_asked_for_json_whose_schema_enumerates_the_labels_with_the_founders_labels_as_examples()
    {
        Server.EnqueueText("""{"label": "negative"}""");
        var examples = new LabelExample[] { new("Love the reminders.", "positive"), new("Import broke again.", "negative"), new("Fine I guess.", "neutral") };

        var suggestion = await new ZeroShotLabeller(Prompts).SuggestAsync(Backend(), null, "sentiment", "QBO sync failed twice this week.", Sentiments, examples);

        Assert.Equal("negative", suggestion.Label);
        Assert.Null(suggestion.Confidence); // a server tells no probabilities: none is made up
        Assert.Null(suggestion.Margin);
        var request = Assert.Single(Server.Requests);
        var format = request.Body["response_format"]!;
        Assert.Equal("json_schema", format["type"]!.GetValue<string>());
        Assert.Equal(Sentiments, format["json_schema"]!["schema"]!["properties"]!["label"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(0, request.Body["temperature"]!.GetValue<double>());
        var prompt = request.Messages[^1]!["content"]!.GetValue<string>();
        Assert.Contains("Review: Import broke again.\nLabel: negative", prompt);
        Assert.Contains("Review: QBO sync failed twice this week.\nLabel:", prompt);
    }

    [Fact]
    public async Task A_server_that_answers_the_bare_label_is_understood_and_one_that_answers_something_else_is_refused()
    {
        Server.EnqueueText(" Positive ");
        Server.EnqueueText("""{"label": "ecstatic"}""");
        var labeller = new ZeroShotLabeller(Prompts);

        Assert.Equal("positive", (await labeller.SuggestAsync(Backend(), null, "sentiment", "Great.", Sentiments, [])).Label);
        var refused = await Assert.ThrowsAsync<LabellingException>(() => labeller.SuggestAsync(Backend(), null, "sentiment", "Great!", Sentiments, []));
        Assert.Contains("not one of the labels (negative, neutral, positive)", refused.Message);
    }

    [Fact]
    public async Task A_local_model_under_the_grammar_answers_only_labels_with_probabilities_from_its_tokens()
    {
        using var runtime = new LanguageModelRuntime(new ModelRegistry([Path.GetDirectoryName(TinyModel.File)!]));
        runtime.Choose(TinyModel.File, ModelSettings.Default);
        var backend = new LocalChatBackendProvider(runtime).Current(out var problem) ?? throw new InvalidOperationException(problem);
        var labeller = new ZeroShotLabeller(Prompts);
        // Strings a random-weight model would never write unprompted: only the grammar can make it answer them.
        string[] labels = ["zebra crossing", "quux", "Ω-7"];

        foreach (var review in new[] { "The import broke again.", "Love it!", new string('x', 5000) })
        {
            var suggestion = await labeller.SuggestAsync(backend, runtime, "category", review, labels, [new("Slow sync.", "quux")]);
            Assert.Contains(suggestion.Label, labels);
            Assert.Equal(labels.Order(StringComparer.Ordinal), suggestion.Probabilities!.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(1.0, suggestion.Probabilities.Values.Sum(), 6);
            Assert.All(suggestion.Probabilities.Values, p => Assert.InRange(p, 1e-12, 1));
            Assert.Equal(suggestion.Probabilities[suggestion.Label], suggestion.Confidence);
            Assert.InRange(suggestion.Margin!.Value, 0, 1);
        }
    }

    [Fact]
    public async Task Scoring_continuations_reads_the_same_logits_that_greedy_decoding_follows()
    {
        using var model = LocalLanguageModel.Load(TinyModel.File);
        const string prompt = "Customer review: the import broke again. Label:";
        var greedy = new System.Text.StringBuilder();
        await foreach (var piece in model.GenerateAsync(prompt, new GenerationOptions { MaxTokens = 1, Temperature = 0, Seed = 0 })) greedy.Append(piece);
        var next = greedy.ToString();
        Assert.Equal(1, model.CountTokens(next));

        string[] others = [" the", " zebra", " positive", " 7"];
        var scores = model.ScoreContinuations(prompt, [next, .. others.Where(o => o != next)]);
        Assert.Equal(scores.Max(), scores[0]);
        Assert.All(scores, s => Assert.True(s < 0));
        // A two-token continuation scores below its first token alone (another factor below one).
        var two = model.ScoreContinuations(prompt, [next, next + next]);
        Assert.True(two[1] < two[0]);
    }

    [Fact]
    public void The_grammar_and_the_labels_are_checked()
    {
        Assert.Equal("root ::= \" \" (\"a \\\"b\\\"\" | \"c\\\\d\")\n", ZeroShotLabeller.Grammar(["a \"b\"", "c\\d"], " "));
        Assert.Contains("at least two labels", ZeroShotLabeller.CheckLabels(["only"]));
        Assert.Equal("The label 'bug' is given twice.", ZeroShotLabeller.CheckLabels(["bug", "praise", "bug"]));
        Assert.Null(ZeroShotLabeller.CheckLabels(Sentiments));
    }
}
