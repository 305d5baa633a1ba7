using System.Text;
using Planner.Assistant;
using Planner.Documents;
using Planner.Llm;
using Planner.Tests.Persistence;
using Planner.Persistence;

namespace Planner.Tests.Assistant;

public sealed class DocumentAnswererTests : IAsyncLifetime
{
    private TempDatabase db = default!;
    private DocumentIndex index = default!;
    private DocumentLibrary library = default!;

    public async Task InitializeAsync()
    {
        db = await TempDatabase.CreateAsync(seedSample: false);
        index = new DocumentIndex(null);
        library = new DocumentLibrary(db.Factory(), index, db.Paths, TimeProvider.System);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "sample", "docs"), "*.md"))
            await library.AddAsync(Path.GetFileName(file), await File.ReadAllBytesAsync(file));
    }

    public async Task DisposeAsync()
    {
        index.Dispose();
        await db.DisposeAsync();
    }

    [Fact]
    public void The_shipped_prompt_templates_load()
    {
        var prompts = PromptLibrary.Load(PromptLibrary.DefaultFolder);
        Assert.Contains("AnswerWithCitations", prompts.Names);
    }

    [Fact]
    public void A_broken_template_stops_loading_and_names_its_file()
    {
        var folder = Path.Combine(Path.GetTempPath(), "planner-prompts", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "Broken"));
        File.WriteAllText(Path.Combine(folder, "Broken", "skprompt.txt"), "Answer {{$question}}");
        File.WriteAllText(Path.Combine(folder, "Broken", "config.json"), """{"input_variables": [{"name": "question"}, {"name": "passages"}]}""");
        var error = Assert.Throws<InvalidOperationException>(() => PromptLibrary.Load(folder));
        Assert.Contains("Broken", error.Message);
        Assert.Contains("'passages'", error.Message);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task The_prompt_numbers_the_retrieved_passages_with_their_citations_and_the_model_answers()
    {
        var runtime = new LanguageModelRuntime(new ModelRegistry([Path.GetDirectoryName(TinyModel.File)!]));
        runtime.Choose(null, new ModelSettings { Seed = 5, MaxOutputTokens = 16 });
        var answerer = new DocumentAnswerer(library, PromptLibrary.Load(PromptLibrary.DefaultFolder), runtime);

        var prepared = await answerer.PrepareAsync("What happened with the QuickBooks sync incidents?");
        Assert.Equal("q4-2026-retro.md", prepared.Passages[0].Citation.DocumentName);
        Assert.Contains($"[1] ({prepared.Passages[0].Citation})", prepared.Prompt);
        Assert.Contains("Question: What happened with the QuickBooks sync incidents?", prepared.Prompt);
        Assert.DoesNotContain("&#", prepared.Prompt); // passages go in as written, not HTML-encoded

        var answer = new StringBuilder();
        await foreach (var piece in answerer.AnswerAsync(prepared)) answer.Append(piece);
        Assert.NotEmpty(answer.ToString()); // a random-weight model: the words are noise, the plumbing is real
        runtime.Dispose();
    }

    [Fact]
    public async Task Without_a_model_the_answer_fails_with_the_way_forward_instead_of_hanging()
    {
        var runtime = new LanguageModelRuntime(new ModelRegistry([Path.Combine(db.Directory, "no-models")]));
        var answerer = new DocumentAnswerer(library, PromptLibrary.Load(PromptLibrary.DefaultFolder), runtime);
        var prepared = await answerer.PrepareAsync("pricing");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => { await foreach (var _ in answerer.AnswerAsync(prepared)) { } });
        Assert.StartsWith("No model yet", error.Message);
    }
}
