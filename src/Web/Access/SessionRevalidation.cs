using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Planner.Security;

namespace Planner.Web.Access;

/// <summary>An open page (a Blazor circuit) keeps its sign-in for as long as the connection lasts; this checks it
/// again every <c>Planner:Access:RevalidateSeconds</c> (30 by default): after a password change or a sign-out of that
/// session the page's identity becomes anonymous, and <c>SessionWatch</c> in the layout sends the page to the
/// sign-in form, which ends the circuit. Only when sign-in is required (an exposed app).</summary>
public sealed class SessionRevalidation(ILoggerFactory loggers, WebAccess access, AdminPassword password, SignedInSessions sessions, IConfiguration configuration)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    public const string IntervalKey = "Planner:Access:RevalidateSeconds";

    protected override TimeSpan RevalidationInterval { get; } = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue(IntervalKey, 30), 1, 3600));

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        Task.FromResult(!access.LoginRequired || sessions.IsValid(authenticationState.User, password.Stamp()));
}
