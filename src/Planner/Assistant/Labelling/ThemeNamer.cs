using System.Text;
using System.Text.Json;
using Microsoft.SemanticKernel.ChatCompletion;
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
    /// typical first). <paramref name="runtime"/> serves a local backend.</summary>
    /// <exception cref="LabellingException">The model's answer is not a short name.</exception>
    public async Task<string> NameAsync(ChatBackend backend, LanguageModelRuntime? runtime, IReadOnlyList<string> terms, IReadOnlyList<string> reviews,
        CancellationToken ct = default)
    {
        if (terms.Count == 0) throw new ArgumentException("A theme needs its terms.", nameof(terms));
        var shown = reviews.Take(MaxReviews).ToList();
        var rendered = new List<string>();
        for (var n = shown.Count; n >= 0; n--) rendered.Add(await RenderAsync(terms, shown.Take(n), ct));
        if (backend.Kind == ChatBackendKind.Local)
        {
            if (runtime is null) throw new ArgumentException("A local backend needs its runtime.", nameof(runtime));
            return await runtime.UseAsync(model => LocalAsync(model, rendered, ct), ct);
        }
        var budget = (int)((backend.ContextTokens - 64) * 3.0);
        return await ServerAsync(backend, rendered.FirstOrDefault(p => p.Length <= budget) ?? rendered[^1], ct);
    }

    private Task<string> RenderAsync(IReadOnlyList<string> terms, IEnumerable<string> reviews, CancellationToken ct) =>
        prompts.RenderAsync("NameTheme", new Dictionary<string, object?>
        {
            ["terms"] = string.Join(", ", terms),
            ["reviews"] = string.Join("\n", reviews.Select(r => "- " + PromptText.Squash(r, MaxReviewChars))) is { Length: > 0 } list ? list : "(none)",
        }, ct);

    private static async Task<string> LocalAsync(LocalLanguageModel model, IReadOnlyList<string> rendered, CancellationToken ct)
    {
        // As in labelling: a model without a chat template continues the plain text, so the name follows "Name:" after a space.
        var prefix = model.Info.HasChatTemplate ? "" : " ";
        var options = new GenerationOptions { MaxTokens = MaxNameChars + 3, Temperature = 0, Seed = 0, Grammar = Grammar(prefix) };
        var prompt = rendered.FirstOrDefault(p => model.CountTokens(p) + options.MaxTokens + 1 <= model.ContextSize) ?? rendered[^1];
        var history = new ChatHistory();
        history.AddUserMessage(prompt);
        var text = model.Info.HasChatTemplate ? LocalChatCompletionService.Transcript(history, model, options) : prompt.TrimEnd();
        var reply = new StringBuilder();
        await foreach (var piece in model.GenerateAsync(text, options, ct)) reply.Append(piece);
        var name = reply.ToString().Trim();
        return IsName(name) ? name : throw new LabellingException($"{model.Info.FileName} answered \"{Shorten(reply.ToString())}\", which is not a name of one to {MaxWords} words.");
    }

    private static async Task<string> ServerAsync(ChatBackend backend, string prompt, CancellationToken ct)
    {
        var history = new ChatHistory();
        history.AddUserMessage(prompt);
        var settings = ChatSettings.Create(32, 0);
        settings.ExtensionData![ZeroShotLabeller.ResponseFormatKey] = ResponseFormat;
        var reply = (await backend.Service.GetChatMessageContentAsync(history, settings, cancellationToken: ct)).Content?.Trim() ?? "";
        var name = reply;
        try
        {
            using var json = JsonDocument.Parse(reply);
            if (json.RootElement is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
                name = n.GetString()!;
        }
        catch (JsonException)
        {
            // a server without structured output may answer the bare name
        }
        name = string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Trim('"', '.', ' ');
        return IsName(name) ? name : throw new LabellingException($"{backend.ModelName} answered \"{Shorten(reply)}\", which is not a name of one to {MaxWords} words.");
    }

    private static readonly string[] Required = ["name"];

    /// <summary>OpenAI's structured output: a JSON object whose one property is the name.</summary>
    public static JsonElement ResponseFormat { get; } = JsonSerializer.SerializeToElement(new Dictionary<string, object>
    {
        ["type"] = "json_schema",
        ["json_schema"] = new Dictionary<string, object>
        {
            ["name"] = "theme_name",
            ["strict"] = true,
            ["schema"] = new Dictionary<string, object>
            {
                ["type"] = "object",
                ["properties"] = new Dictionary<string, object> { ["name"] = new Dictionary<string, object> { ["type"] = "string", ["maxLength"] = MaxNameChars } },
                ["required"] = Required,
                ["additionalProperties"] = false,
            },
        },
    });

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
