namespace Planner.Assistant;

/// <summary>Text prepared for a prompt.</summary>
internal static class PromptText
{
    /// <summary>Whitespace collapsed to single spaces, cut to <paramref name="max"/> characters with an ellipsis.</summary>
    public static string Squash(string text, int max)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= max ? flat : flat[..max] + "…";
    }
}
