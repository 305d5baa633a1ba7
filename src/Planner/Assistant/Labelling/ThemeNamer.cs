using System.Text.Json;
using Planner.Llm;

namespace Planner.Assistant.Labelling;

/// <summary>Names a theme of customer reviews with the active chat model, from the theme's top terms and its most
/// typical reviews: a local GGUF model decodes under a GBNF grammar of one to <see cref="MaxWords"/> words ended by a
/// line break (greedy); an OpenAI-compatible server is asked for JSON whose schema holds one short string. The terms
/// stay the theme's description either way: the name is the model's reading of them, shown as such.</summary>
public sealed class ThemeNamer(PromptLibrary prompts)
{
    public const int MaxWords = 5;
    public const int MaxWordChars = 15;

    /// <summary>The longest name the grammar allows: <see cref="MaxWords"/> words of <see cref="MaxWordChars"/> and the spaces between.</summary>
    public const int MaxNameChars = MaxWords * (MaxWordChars + 1) - 1;
    public const int MaxReviews = 5;
    public const int MaxReviewChars = 200;

    /// <summary>One to <see cref="MaxWords"/> words (a letter, then letters, digits and the marks a title uses), then a line break
    /// (after <paramref name="prefix"/>, the space a plain-text model writes after "Name:").</summary>
    public static string Grammar(string prefix = "") =>
        "root ::= " + (prefix.Length > 0 ? $"\"{prefix}\" " : "") + "word" + string.Concat(Enumerable.Repeat(" (\" \" word)?", MaxWords - 1)) + " \"\\n\"\n" +
        $"word ::= [A-Za-z] [A-Za-z0-9'&/+-]{{0,{MaxWordChars - 1}}}\n";

    /// <summary>Whether <paramref name="name"/> can stand as a theme's name: one to <see cref="MaxWords"/> words, at most
    /// <see cref="MaxNameChars"/> characters, with a letter.</summary>
    public static bool IsName(string name) =>
        name.Length is > 0 and <= MaxNameChars && !name.Any(char.IsControl) && name.Any(char.IsLetter)
        && name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= MaxWords;

    /// <summary>The model's name for the theme of <paramref name="terms"/> and <paramref name="reviews"/> (its most
    /// typical first; as many as the context holds). <paramref name="runtime"/> serves a local backend.</summary>
    /// <exception cref="LabellingException">The model's answer is not a short name.</exception>
    public async Task<string> NameAsync(ChatBackend backend, LanguageModelRuntime? runtime, IReadOnlyList<string> terms, IReadOnlyList<string> reviews,
        CancellationToken ct = default)
    {
        if (terms.Count == 0) throw new ArgumentException("A theme needs its terms.", nameof(terms));
        var shown = reviews.Take(MaxReviews).ToList();
        Task<string> Render(int n) => RenderAsync(terms, shown.Take(n), ct);
        if (backend.Kind == ChatBackendKind.Local)
        {
            if (runtime is null) throw new ArgumentException("A local backend needs its runtime.", nameof(runtime));
            return await runtime.UseAsync(model => LocalAsync(model, shown.Count, Render, ct), ct);
        }
        var budget = ModelAnswer.ServerBudget(backend);
        var prompt = await ModelAnswer.LongestThatFitsAsync(shown.Count, Render, p => p.Length <= budget);
        var (reply, answered) = await ModelAnswer.AskServerAsync(backend, prompt, 32, ResponseFormat, "name", ct);
        var name = string.Join(' ', answered.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Trim('"', '.', ' ');
        return IsName(name) ? name : throw new LabellingException($"{backend.ModelName} answered \"{ModelAnswer.Shorten(reply)}\", which is not a name of one to {MaxWords} words.");
    }

    private Task<string> RenderAsync(IReadOnlyList<string> terms, IEnumerable<string> reviews, CancellationToken ct) =>
        prompts.RenderAsync("NameTheme", new Dictionary<string, object?>
        {
            ["terms"] = string.Join(", ", terms),
            ["reviews"] = string.Join("\n", reviews.Select(r => "- " + PromptText.Squash(r, MaxReviewChars))) is { Length: > 0 } list ? list : "(none)",
        }, ct);

    private static async Task<string> LocalAsync(LocalLanguageModel model, int reviews, Func<int, Task<string>> render, CancellationToken ct)
    {
        var prefix = ModelAnswer.PlainTextPrefix(model);
        var options = new GenerationOptions { MaxTokens = MaxNameChars + 3, Temperature = 0, Seed = 0, Grammar = Grammar(prefix) };
        var prompt = await ModelAnswer.LongestThatFitsAsync(reviews, render, p => model.CountTokens(p) + options.MaxTokens + 1 <= model.ContextSize);
        var reply = await ModelAnswer.GenerateAsync(model, ModelAnswer.LocalText(model, prompt, options), options, ct);
        var name = reply.Trim();
        return IsName(name) ? name : throw new LabellingException($"{model.Info.FileName} answered \"{ModelAnswer.Shorten(reply)}\", which is not a name of one to {MaxWords} words.");
    }

    /// <summary>OpenAI's structured output: a JSON object whose one property is the name.</summary>
    public static JsonElement ResponseFormat { get; } = ModelAnswer.ResponseFormat("theme_name", "name",
        new Dictionary<string, object> { ["type"] = "string", ["maxLength"] = MaxNameChars });
}
