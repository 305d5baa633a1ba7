using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

/// <summary>A read-only share link on an app that asks for the password: it opens the one-page roadmap and nothing else.</summary>
public sealed partial class LoginTests
{
    [Fact]
    public async Task A_share_link_opens_the_roadmap_signed_out_grants_nothing_else_and_answers_404_once_revoked()
    {
        await using var server = await StartExposedAsync();
        var data = server.DataDirectory;
        var created = await CliProcess.RunAsync(data, data, null, "share", "link", "create", "board");
        Assert.True(created.ExitCode == 0, created.Stderr);
        var path = created.Stdout.Trim();
        Assert.Matches("^/s/[A-Za-z0-9_-]{43}$", path);
        var token = path[3..];
        using var http = Client(server, new CookieContainer());

        var shared = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
        Assert.Equal("text/html", shared.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Ledgerloom Software, Inc.", await shared.Content.ReadAsStringAsync());
        Assert.True(shared.Headers.CacheControl!.NoStore);
        Assert.Contains("noindex", shared.Headers.GetValues("X-Robots-Tag").Single());
        Assert.False(shared.Headers.Contains("Set-Cookie"));

        // In a browser that never signed in, too, and it leaves no cookie behind.
        await using (var context = await browser.Browser.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(server.BaseUrl + path);
            await Expect(page.Locator("h1")).ToContainTextAsync("Ledgerloom");
            Assert.Empty(await context.CookiesAsync());
        }

        // The token opens nothing else: not as a bearer token, not as a parameter, not under the link's path.
        async Task<HttpStatusCode> Get(string url, bool bearer = false)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (bearer) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return (await http.SendAsync(request)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await Get("/api/v1/workspaces", bearer: true));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get("/share/html?token=" + token));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get("/export/json", bearer: true));
        Assert.Equal(HttpStatusCode.Redirect, await Get("/roadmap?token=" + token, bearer: true)); // to the sign-in form
        Assert.NotEqual(HttpStatusCode.OK, await Get(path + "/roadmap"));

        var madeUp = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(HttpStatusCode.NotFound, await Get("/s/" + madeUp));
        Assert.Equal(HttpStatusCode.NotFound, await Get("/s/not-a-token"));

        // Revoked by another process on the same database: the running app answers 404 at once.
        var id = System.Text.RegularExpressions.Regex.Match(created.Stderr, @"Share link (\d+) 'board'").Groups[1].Value;
        Assert.Equal(0, (await CliProcess.RunAsync(data, data, null, "share", "link", "revoke", id)).ExitCode);
        var revoked = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, revoked.StatusCode);
        Assert.True(revoked.Headers.CacheControl!.NoStore);

        // One address may open share links so many times a minute (five requests above), then gets 429 and why.
        var allowed = 5;
        HttpResponseMessage limited;
        while ((limited = await http.GetAsync("/s/not-a-token")).StatusCode == HttpStatusCode.NotFound && allowed <= 100) allowed++;
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(60, allowed);
        Assert.Contains("Too many requests for shared roadmaps from this address", await limited.Content.ReadAsStringAsync());
    }
}
