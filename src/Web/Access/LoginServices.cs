using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Planner.Security;
using Planner.Files;

namespace Planner.Web.Access;

/// <summary>Sign-in for an exposed app: cookie authentication against the administrator password, every endpoint
/// behind it except the login page, static assets and /healthz (with /healthz/live and /healthz/ready); sign-in attempts rate-limited per client address
/// (the real client's, behind a proxy listed in <see cref="ProxyHeaders.TrustedProxiesKey"/>) and locked for the account
/// after repeated failures (<see cref="SignInLockout"/>); open pages re-checked (<see cref="SessionRevalidation"/>).
/// On loopback (the default) nothing asks for a login.</summary>
public static class LoginServices
{
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";
    public const string CookieName = "planner-auth";
    public const string StampClaim = "planner:password-stamp";
    /// <summary>Login attempts a client address may make per window; more are answered 429.</summary>
    public const int AttemptsPerWindow = 5;
    public static readonly TimeSpan AttemptWindow = TimeSpan.FromMinutes(1);

    public static WebApplicationBuilder AddPlannerLogin(this WebApplicationBuilder builder)
    {
        var access = WebAccess.From(builder.Configuration);
        var password = new AdminPassword(PlannerPaths.From(builder.Configuration).DataDirectory);
        if (access.LoginRequired && !password.IsSet)
            throw new StartupRefusal(
                $"Refusing to start: {LoopbackGuard.AllowRemoteKey}=true exposes Planner beyond this machine, which needs a login, " +
                $"but no administrator password is set in {password.FilePath}. Set one first: planner admin-password --data-dir <data directory> (reads it from standard input).");
        builder.Services.AddSingleton(access);
        builder.Services.AddSingleton(password);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SignInLockout>();
        builder.Services.AddSingleton<SignedInSessions>();
        builder.Services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        ProxyHeaders.Configure(builder);
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
        {
            options.LoginPath = LoginPath;
            options.LogoutPath = LogoutPath;
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            options.SlidingExpiration = true;
            options.Events.OnRedirectToLogin = async context =>
            {
                // Pages send the browser to the login form; downloads and the Blazor hub just say 401 (with a body, so
                // the status-code pages leave it alone).
                if (IsPage(context.Request))
                {
                    context.Response.Redirect(context.RedirectUri);
                    return;
                }
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsync("Sign in first.");
            };
            options.Events.OnValidatePrincipal = async context =>
            {
                var sessions = context.HttpContext.RequestServices.GetRequiredService<SignedInSessions>();
                if (!sessions.IsValid(context.Principal, password.Stamp()))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                }
            };
        });
        builder.Services.AddAuthorization(options =>
        {
            if (access.LoginRequired) options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, ct) => new ValueTask(context.HttpContext.Response.WriteAsync(
                context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<ShareLinkEndpoints.Marker>() is not null
                    ? $"Too many requests for shared roadmaps from this address; try again in a minute (at most {ShareLinkEndpoints.RequestsPerMinute} a minute)."
                    : $"Too many sign-in attempts from this address; try again in a minute (at most {AttemptsPerWindow} a minute).", ct));
            // Share links are opened without signing in, and each one renders the roadmap: at most so many a minute
            // per client address.
            options.AddPolicy(ShareLinkEndpoints.RateLimitPolicy, context =>
                RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = ShareLinkEndpoints.RequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            // The sign-in form's posts, found by the page that answers them (so /login/, /LOGIN and the like count too),
            // per client address.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method) && context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>()?.Type == typeof(Components.Pages.Account.Login)
                    ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = AttemptsPerWindow, Window = AttemptWindow, QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("other"));
        });
        return builder;
    }

    /// <summary>The middleware, in the order antiforgery needs (after authentication and authorization).</summary>
    public static void UsePlannerLogin(this WebApplication app)
    {
        app.UseRouting(); // the rate limiter tells sign-in posts by their endpoint
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
    }

    public static void MapLogoutEndpoint(this WebApplication app)
    {
        app.MapPost(LogoutPath, async (HttpContext context, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context)) return Results.BadRequest("The form has expired; reload the page.");
            context.RequestServices.GetRequiredService<SignedInSessions>().Revoke(context.User);
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect(LoginPath);
        }).AllowAnonymous();
    }

    /// <summary>The signed-in identity: one administrator, tied to the current password, in a session of its own.</summary>
    public static ClaimsPrincipal Administrator(string passwordStamp) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "admin"), new Claim(StampClaim, passwordStamp), new Claim(SignedInSessions.SessionClaim, SignedInSessions.NewId())],
        CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>Only a path on this site (no scheme, no host, no protocol-relative "//"), else the roadmap page.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";

    private static bool IsPage(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && !request.Path.StartsWithSegments("/_blazor")
        && !request.Path.StartsWithSegments("/export")
        && !request.Path.StartsWithSegments("/share");
}
