namespace Planner.Web.Access;

/// <summary>Whether visitors must sign in: only when the app may be reached from other machines
/// (<c>Planner:AllowRemoteAccess=true</c>). On 127.0.0.1 the machine's own login is the boundary.</summary>
public sealed record WebAccess(bool LoginRequired)
{
    public static WebAccess From(IConfiguration configuration) => new(configuration.GetValue(LoopbackGuard.AllowRemoteKey, false));
}
