using System.Security.Cryptography;
using System.Text;

namespace Planner.Security;

/// <summary>Share-link tokens: 32 random bytes (256 bits) written base64url, 43 characters that fit a path segment.
/// With that much entropy one SHA-256 protects them at rest, as for access tokens (<see cref="ApiTokenSecret"/>).</summary>
public static class ShareLinkSecret
{
    public const int Length = 43;

    public static string NewToken() => ApiTokenSecret.Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => ApiTokenSecret.Hash(token);

    /// <summary>Shaped like a token this app makes, so anything else is turned away before the database is asked.</summary>
    public static bool LooksLikeToken(string text) =>
        text.Length == Length && text.AsSpan().IndexOfAnyExcept(ApiTokenSecret.Base64UrlCharacters) < 0;

    /// <summary>Whether two hashes are equal, in time that does not depend on where they differ.</summary>
    public static bool SameHash(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
