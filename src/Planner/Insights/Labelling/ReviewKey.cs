using System.Security.Cryptography;
using System.Text;

namespace Planner.Insights.Labelling;

/// <summary>A review's stable identity within its file: a hash of its text (trimmed, line endings unified), so a label
/// stays with its review when the file is re-uploaded with rows added, removed or reordered, and ids may be absent.</summary>
public static class ReviewKey
{
    public const int Length = 32;

    public static string Of(string text)
    {
        var normal = text.Trim().ReplaceLineEndings("\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normal)))[..Length];
    }
}
