using System.Text;
using System.Text.Json;
using Planner.Llm;

namespace Planner.Assistant.Labelling;

/// <summary>Labels a review with the active chat model, choosing exactly one label of the label set: a local GGUF model
/// decodes under a GBNF grammar that allows only the label strings (greedy), and its token probabilities give each
/// label's probability among the set; an OpenAI-compatible server is asked for JSON whose schema enumerates the labels
/// (structured output) and tells no probabilities. Few-shot: the founder's labelled reviews go into the prompt as
/// examples, as many as the context holds.</summary>
public sealed class ZeroShotLabeller(PromptLibrary prompts)
{
    public const int MaxLabels = 20;
    public const int MaxReviewChars = 1200;
    public const int MaxExampleChars = 240;
    public const int MaxExamples = 8;

    /// <summary>Why these labels cannot be offered to a model, or null.</summary>
    public static string? CheckLabels(IReadOnlyList<string> labels)
    {
        if (labels.Count < 2) return "Give at least two labels to choose from (e.g. --labels positive,negative).";
        if (labels.Count > MaxLabels) return $"At most {MaxLabels} labels can be offered to a model ({labels.Count} given).";
        if (labels.FirstOrDefault(l => l.Trim().Length == 0 || l.Length > Insights.Labelling.ReviewLabel.MaxLabelLength) is { } bad)
            return bad.Trim().Length == 0 ? "A label cannot be empty." : $"A label has at most {Insights.Labelling.ReviewLabel.MaxLabelLength} characters.";
        if (labels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice) return $"The label '{twice.Key}' is given twice.";
        return null;
    }

    /// <summary>A GBNF grammar whose only sentences are the labels (after <paramref name="prefix"/>).</summary>
    public static string Grammar(IReadOnlyList<string> labels, string prefix = "") =>
        "root ::= " + (prefix.Length > 0 ? Literal(prefix) + " " : "") + "(" + string.Join(" | ", labels.Select(Literal)) + ")\n";

    private static string Literal(string text)
    {
        var s = new StringBuilder("\"");
        foreach (var c in text)
            s.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ => c.ToString() });
        return s.Append('"').ToString();
    }

    /// <summary>The label the model chooses for <paramref name="review"/>. <paramref name="runtime"/> serves a local
    /// backend (its probabilities are read from the loaded model).</summary>
    /// <exception cref="LabellingException">A server answered something other than one of the labels.</exception>
    public async Task<LabelSuggestion> SuggestAsync(ChatBackend backend, LanguageModelRuntime? runtime, string column, string review,
        IReadOnlyList<string> labels, IReadOnlyList<LabelExample> examples, int shots = MaxExamples, CancellationToken ct = default)
    {
        if (CheckLabels(labels) is { } bad) throw new ArgumentException(bad, nameof(labels));
        var shown = Examples(examples, labels, Math.Clamp(shots, 0, MaxExamples));
        Task<string> Render(int n) => RenderAsync(column, review, labels, shown.Take(n), ct);
        if (backend.Kind == ChatBackendKind.Local)
        {
            if (runtime is null) throw new ArgumentException("A local backend needs its runtime.", nameof(runtime));
            return await runtime.UseAsync(model => LocalAsync(model, shown.Count, Render, labels, ct), ct);
        }
        var budget = ModelAnswer.ServerBudget(backend);
        var prompt = await ModelAnswer.LongestThatFitsAsync(shown.Count, Render, p => p.Length <= budget);
        var (reply, answered) = await ModelAnswer.AskServerAsync(backend, prompt, 64, ResponseFormat(labels), "label", ct);
        var label = labels.FirstOrDefault(x => x == answered) ?? labels.FirstOrDefault(x => string.Equals(x, answered, StringComparison.OrdinalIgnoreCase))
            ?? throw new LabellingException($"{backend.ModelName} answered \"{ModelAnswer.Shorten(reply)}\", which is not one of the labels ({string.Join(", ", labels)}).");
        return new LabelSuggestion(label, null);
    }

    /// <summary>Up to <paramref name="most"/> of the founder's labelled reviews, taken in turn from each label of the
    /// set so that every class is shown.</summary>
    private static List<LabelExample> Examples(IReadOnlyList<LabelExample> examples, IReadOnlyList<string> labels, int most)
    {
        var queues = labels.Select(l => new Queue<LabelExample>(examples.Where(e => e.Label == l))).ToList();
        var chosen = new List<LabelExample>();
        while (chosen.Count < most && queues.Any(q => q.Count > 0))
            foreach (var q in queues)
                if (q.Count > 0 && chosen.Count < most) chosen.Add(q.Dequeue());
        return chosen;
    }

    private Task<string> RenderAsync(string column, string review, IReadOnlyList<string> labels, IEnumerable<LabelExample> examples, CancellationToken ct)
    {
        var shots = string.Join("\n", examples.Select(e => $"Review: {PromptText.Squash(e.Text, MaxExampleChars)}\nLabel: {e.Label}"));
        return prompts.RenderAsync("LabelReview", new Dictionary<string, object?>
        {
            ["column"] = column,
            ["labels"] = string.Join("\n", labels),
            ["examples"] = shots.Length > 0 ? shots : "(none)",
            ["review"] = PromptText.Squash(review, MaxReviewChars),
        }, ct);
    }

    private static async Task<LabelSuggestion> LocalAsync(LocalLanguageModel model, int examples, Func<int, Task<string>> render, IReadOnlyList<string> labels,
        CancellationToken ct)
    {
        var prefix = ModelAnswer.PlainTextPrefix(model);
        var endings = labels.Select(l => prefix + l).ToList();
        var longest = endings.Max(e => model.CountTokens(e));
        var prompt = await ModelAnswer.LongestThatFitsAsync(examples, render, p => model.CountTokens(p) + longest + 1 <= model.ContextSize);
        // Under the grammar the model may spell a label in more tokens than its usual tokenization (e.g. "crossin" + "g"):
        // allow one token per byte, the most any spelling takes.
        var options = new GenerationOptions { MaxTokens = endings.Max(Encoding.UTF8.GetByteCount) + 1, Temperature = 0, Seed = 0, Grammar = Grammar(labels, prefix) };
        var text = ModelAnswer.LocalText(model, prompt, options);
        var reply = await ModelAnswer.GenerateAsync(model, text, options, ct);
        var chosen = reply[prefix.Length..];
        if (!labels.Contains(chosen, StringComparer.Ordinal)) throw new LabellingException($"{model.Info.FileName} answered \"{reply}\", which is not one of the labels.");
        var scores = model.ScoreContinuations(text, endings, ct);
        var max = scores.Max();
        var weights = scores.Select(s => Math.Exp(s - max)).ToList();
        var total = weights.Sum();
        return new LabelSuggestion(chosen, labels.Select((l, i) => (l, weights[i] / total)).ToDictionary(p => p.l, p => p.Item2, StringComparer.Ordinal));
    }

    /// <summary>OpenAI's structured output: a JSON object whose one property is an enumeration of the labels.</summary>
    public static JsonElement ResponseFormat(IReadOnlyList<string> labels) =>
        ModelAnswer.ResponseFormat("review_label", "label", new Dictionary<string, object> { ["type"] = "string", ["enum"] = labels });
}
