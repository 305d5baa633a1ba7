using Planner.Security;

namespace Planner.Persistence;

/// <summary>A token just made (<see cref="Secret"/> is its text, shown once), or why none was (<see cref="Error"/>).</summary>
public sealed record CreatedApiToken(ApiToken? Token, string? Secret, string? Error)
{
    public bool Ok => Error is null;

    public static CreatedApiToken Refused(string error) => new(null, null, error);
}
