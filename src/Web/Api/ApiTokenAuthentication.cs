using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Planner.Persistence;
using Planner.Web.Access;

namespace Planner.Web.Api;

/// <summary>Personal access tokens for the HTTP API and the MCP server: <c>Authorization: Bearer plnr_…</c>. When the
/// app is exposed (<see cref="WebAccess.LoginRequired"/>) a valid token is required; on loopback a request without one
/// is the machine's own user (as for the pages), and a token that is sent is still checked — a revoked, expired or
/// unknown token is refused everywhere. The signed-in cookie is not accepted here: a browser sends it with any
/// request another site makes it send.</summary>
public sealed class ApiTokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiTokenStore tokens, WebAccess access) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PlannerToken";
    public const string Policy = "PlannerApi";
    public const string WorkspaceClaim = "planner:workspace";
    private const string RefusalKey = "planner:token-refusal";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return access.LoginRequired
                ? AuthenticateResult.NoResult()
                : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "local")], SchemeName)), SchemeName));
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Refuse("Send the token as 'Authorization: Bearer <token>'.");
        var check = await tokens.CheckAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (check.Token is not { } token) return Refuse(check.Refusal!);
        var claims = new List<Claim> { new(ClaimTypes.Name, "token:" + token.Prefix) };
        if (token.Workspace is not null) claims.Add(new Claim(WorkspaceClaim, token.Workspace));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    private AuthenticateResult Refuse(string reason)
    {
        Context.Items[RefusalKey] = reason;
        return AuthenticateResult.Fail(reason);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = Context.Items[RefusalKey] as string
            ?? "This app is reachable from other machines: send a personal access token (Settings, or planner token create) as 'Authorization: Bearer <token>'.";
        await Results.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "A valid access token is needed").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await Results.Problem("The token is not allowed to do this.", statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(Context);

    /// <summary>The scheme and the policy that API and MCP endpoints require.</summary>
    public static void Add(WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiTokenAuthentication>(SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(SchemeName).RequireAuthenticatedUser());
    }

    /// <summary>Whether the caller may touch this workspace: a token made for one workspace reaches only that one.</summary>
    public static bool MayUse(ClaimsPrincipal user, string workspace) =>
        user.FindFirst(WorkspaceClaim)?.Value is not { } only || string.Equals(only, workspace, StringComparison.Ordinal);

    /// <summary>The one workspace the caller's token is limited to, if any.</summary>
    public static string? OnlyWorkspace(ClaimsPrincipal user) => user.FindFirst(WorkspaceClaim)?.Value;
}
