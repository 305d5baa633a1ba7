namespace Planner.Web;

/// <summary>Response headers that keep the app's pages from being framed, sniffed or made to load foreign code.
/// The content security policy allows scripts, styles, fonts and connections (the Blazor circuit's WebSocket
/// included) from this origin only. Inline event handlers and styles must stay allowed: Radzen's components render
/// them (e.g. onclick="Radzen.togglePopup(this, …)", positioned popups). Injected markup is prevented upstream —
/// Blazor encodes every value it renders, and model output is sanitised before it is shown as HTML.</summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // Nothing leaks to other sites, while the app's own posts keep their Origin ("no-referrer" makes browsers send
        // "Origin: null" on them, which RequestOriginGuard refuses).
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        await next();
    });
}
