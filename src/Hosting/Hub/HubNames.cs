using System.Buffers;
using Planner.Security;

namespace Planner.Hosting.Hub;

/// <summary>The names a founder types for the hub — a repository id (<c>owner/name</c>), a file path in it, a
/// revision — checked before any request, and the place a downloaded file takes in the models folder:
/// <c>models/owner/name/path</c>, so two repositories' <c>model.gguf</c> never collide and the provenance stays
/// visible. Rules as the hub's: names of letters, digits, '.', '_' and '-', at most 96 characters, no "--" or "..",
/// not starting or ending with '.' or '-'.</summary>
public static class HubNames
{
    private static readonly SearchValues<char> NameChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>The repository id's two parts, or a <see cref="HubException"/> saying what is wrong with it.</summary>
    public static (string Owner, string Name) Repository(string repository)
    {
        var parts = (repository ?? "").Trim().Split('/');
        if (parts.Length != 2 || !IsName(parts[0]) || !IsName(parts[1]))
            throw new HubException(HubProblem.InvalidName,
                $"'{UntrustedText.Shown(repository)}' is not a model repository id: expected owner/name, e.g. openai-community/gpt2 (letters, digits, '.', '_' and '-').");
        return (parts[0], parts[1]);
    }

    /// <summary>A file path inside a repository: segments separated by '/', none empty, '.' or '..'.</summary>
    public static string FilePath(string path)
    {
        var trimmed = (path ?? "").Trim();
        var segments = trimmed.Split('/');
        if (trimmed.Length is 0 or > 1024 || trimmed.Contains('\\') || trimmed.Any(char.IsControl)
            || segments.Any(s => s.Length is 0 or > 255 || s is "." or ".." || s.Trim() != s))
            throw new HubException(HubProblem.InvalidName, $"'{UntrustedText.Shown(path)}' is not a file path in a repository.");
        return trimmed;
    }

    /// <summary>A branch, tag or commit: what the hub takes in its URLs (escaped there as one segment).</summary>
    public static string Revision(string? revision)
    {
        var value = string.IsNullOrWhiteSpace(revision) ? "main" : revision.Trim();
        if (value.Length > 255 || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) || value.Split('/').Any(s => s is "" or "." or ".."))
            throw new HubException(HubProblem.InvalidName, $"'{UntrustedText.Shown(revision)}' is not a branch, tag or commit.");
        return value;
    }

    /// <summary>Where a repository's file goes: below the models folder, never outside it.</summary>
    public static string Destination(string modelsDirectory, string repository, string path)
    {
        var (owner, name) = Repository(repository);
        var root = Path.GetFullPath(modelsDirectory);
        var target = Path.GetFullPath(Path.Combine([root, owner, name, .. FilePath(path).Split('/')]));
        if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new HubException(HubProblem.InvalidName, $"'{UntrustedText.Shown(path)}' would be saved outside the models folder.");
        return target;
    }

    private static bool IsName(string part) =>
        part.Length is > 0 and <= 96 && !part.AsSpan().ContainsAnyExcept(NameChars)
        && part[0] is not ('.' or '-') && part[^1] is not ('.' or '-') && !part.Contains("--", StringComparison.Ordinal) && !part.Contains("..", StringComparison.Ordinal);
}
