using System.Text.RegularExpressions;
using Planner.Assistant;
using Planner.Assistant.Labelling;
using Planner.Llm;

namespace Planner.Tests.Assistant;

public sealed partial class ThemeNamerTests : Planner.Tests.Llm.OpenAiServerContext
{
    private static readonly PromptLibrary Prompts = PromptLibrary.Load(PromptLibrary.DefaultFolder);
    private static readonly string[] Terms = ["invoice export", "slow", "csv", "timeout"];
    private static readonly string[] Reviews = ["Exporting invoices to CSV takes minutes.", "The export times out on big months."];
    private ChatBackend Backend() => ServerBackend("namer-7b");

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9'&/+-]{0,14}( [A-Za-z][A-Za-z0-9'&/+-]{0,14}){0,4}$")]
    private static partial Regex GrammarLanguage();

    [Fact]
    public async Task A_server_is_asked_for_json_with_one_short_name_from_the_terms_and_typical_reviews()
    {
        Server.EnqueueText("""{"name": "Slow invoice export"}""");

        Assert.Equal("Slow invoice export", await new ThemeNamer(Prompts).NameAsync(Backend(), null, Terms, Reviews));

        var request = Assert.Single(Server.Requests);
        var format = request.Body["response_format"]!;
        Assert.Equal("json_schema", format["type"]!.GetValue<string>());
        Assert.Equal(ThemeNamer.MaxNameChars, format["json_schema"]!["schema"]!["properties"]!["name"]!["maxLength"]!.GetValue<int>());
        var prompt = request.Messages[^1]!["content"]!.GetValue<string>();
        Assert.Contains("Its most distinctive terms: invoice export, slow, csv, timeout.", prompt);
        Assert.Contains("- The export times out on big months.", prompt);
    }

    [Fact]
    public async Task A_bare_name_is_understood_and_a_paragraph_is_refused()
    {
        Server.EnqueueText("  \"Slow   exports.\" ");
        Server.EnqueueText("This theme is about many different things customers said about exporting their invoices to CSV files.");
        var namer = new ThemeNamer(Prompts);

        Assert.Equal("Slow exports", await namer.NameAsync(Backend(), null, Terms, Reviews));
        var refused = await Assert.ThrowsAsync<LabellingException>(() => namer.NameAsync(Backend(), null, Terms, Reviews));
        Assert.Contains("not a name of one to 5 words", refused.Message);
    }

    [Fact]
    public async Task A_local_model_under_the_grammar_writes_one_to_five_words()
    {
        using var runtime = new LanguageModelRuntime(new ModelRegistry([Path.GetDirectoryName(TinyModel.File)!]));
        runtime.Choose(TinyModel.File, ModelSettings.Default);
        var backend = new LocalChatBackendProvider(runtime).Current(out var problem) ?? throw new InvalidOperationException(problem);
        var namer = new ThemeNamer(Prompts);

        // A random-weight model writes no words unprompted: only the grammar makes its answer a short title.
        foreach (var reviews in new[] { Reviews, [new string('x', 5000)] })
        {
            var name = await namer.NameAsync(backend, runtime, Terms, reviews);
            Assert.Matches(GrammarLanguage(), name);
            Assert.True(ThemeNamer.IsName(name), name);
            Assert.Equal(name, await namer.NameAsync(backend, runtime, Terms, reviews)); // greedy: the same name again
        }
    }

    [Fact]
    public void The_grammar_allows_one_to_five_words_and_names_are_checked()
    {
        Assert.Equal("root ::= \" \" word (\" \" word)? (\" \" word)? (\" \" word)? (\" \" word)? \"\\n\"\nword ::= [A-Za-z] [A-Za-z0-9'&/+-]{0,14}\n",
            ThemeNamer.Grammar(" "));
        Assert.True(ThemeNamer.IsName("Billing & invoices"));
        Assert.False(ThemeNamer.IsName("one two three four five six"));
        Assert.False(ThemeNamer.IsName("--- 123"));
        Assert.False(ThemeNamer.IsName(""));
        Assert.False(ThemeNamer.IsName("a\nb"));
    }
}
