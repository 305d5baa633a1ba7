using System.Text;
using Planner.Llm;
using Planner.Persistence;

namespace Planner.Assistant;

/// <summary>"Ask your documents": retrieves the best passages, renders the AnswerWithCitations prompt with them
/// numbered, and streams the local model's answer. The citations come from retrieval, never from the model.</summary>
public sealed class DocumentAnswerer(DocumentLibrary library, PromptLibrary prompts, LanguageModelRuntime runtime)
{
    public const int Passages = 4;

    public async Task<DocumentAnswer> PrepareAsync(string question, CancellationToken ct = default)
    {
        var hits = library.Search(question, Passages);
        var numbered = new StringBuilder();
        for (var n = 0; n < hits.Count; n++)
            numbered.Append('[').Append(n + 1).Append("] (").Append(hits[n].Citation).Append(")\n").Append(hits[n].Text.Trim()).Append("\n\n");
        if (hits.Count == 0) numbered.Append("(No passage in the documents matches the question.)\n");
        var prompt = await prompts.RenderAsync("AnswerWithCitations",
            new Dictionary<string, object?> { ["question"] = question.Trim(), ["passages"] = numbered.ToString().TrimEnd() }, ct);
        return new DocumentAnswer(hits, prompt);
    }

    /// <summary>Streams the answer; the whole generation runs in the model's turn (requests are served in order).</summary>
    public IAsyncEnumerable<string> AnswerAsync(DocumentAnswer prepared, CancellationToken ct = default) =>
        runtime.StreamAsync(prepared.Prompt, new GenerationOptions(), ct: ct);
}
