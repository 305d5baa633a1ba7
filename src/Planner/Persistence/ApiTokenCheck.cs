using Planner.Security;

namespace Planner.Persistence;

/// <summary>The outcome of checking a presented token: the stored token, or the reason it is refused.</summary>
public sealed record ApiTokenCheck(ApiToken? Token, string? Refusal)
{
    public static ApiTokenCheck Refused(string reason) => new(null, reason);
}
