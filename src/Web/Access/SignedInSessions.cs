using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;

namespace Planner.Web.Access;

/// <summary>Each sign-in is a session with an id of its own (a claim in the cookie); signing out revokes it, so the
/// same cookie — in another tab, or copied — no longer opens anything, and open pages of that session are closed at
/// their next check (<see cref="SessionRevalidation"/>). Revocations are kept in memory: a restart also ends every
/// open page, and a revoked cookie would need its 12-hour lifetime to run out to be forgotten anyway.</summary>
public sealed class SignedInSessions
{
    public const string SessionClaim = "planner:session";

    private readonly ConcurrentDictionary<string, byte> revoked = new(StringComparer.Ordinal);

    public static string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public void Revoke(ClaimsPrincipal user)
    {
        if (user.FindFirstValue(SessionClaim) is { } id) revoked.TryAdd(id, 0);
    }

    /// <summary>True when the principal carries a session that was not signed out and the password it signed in
    /// with is still the current one.</summary>
    public bool IsValid(ClaimsPrincipal? user, string? passwordStamp) =>
        user?.FindFirstValue(SessionClaim) is { } id && !revoked.ContainsKey(id)
        && passwordStamp is not null && user.FindFirstValue(LoginServices.StampClaim) == passwordStamp;
}
