using System.Security.Cryptography;
using System.Text;

namespace Planner.Security;

/// <summary>Making and recognising personal access tokens: 32 random bytes behind a <c>plnr_</c> prefix. A token has
/// 256 bits of entropy, so one fast SHA-256 is enough at rest (a slow password hash protects guessable secrets).</summary>
public static class ApiTokenSecret
{
    public const string Scheme = "plnr_";

    /// <summary>Characters of the token kept in the clear to tell tokens apart in lists.</summary>
    public const int PrefixLength = 13;

    public static string NewToken() => Scheme + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string PrefixOf(string token) => token.Length <= PrefixLength ? token : token[..PrefixLength];

    /// <summary>Shaped like a token this app makes (so anything else is refused before the database is asked).</summary>
    public static bool LooksLikeToken(string text) =>
        text.Length is > 20 and < 100 && text.StartsWith(Scheme, StringComparison.Ordinal)
        && text.AsSpan(Scheme.Length).IndexOfAnyExcept(Base64UrlCharacters) < 0;

    internal static readonly System.Buffers.SearchValues<char> Base64UrlCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
