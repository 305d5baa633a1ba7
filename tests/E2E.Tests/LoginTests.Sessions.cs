using System.Net;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

/// <summary>Sessions that end for real, sign-in limits that cannot be sidestepped, and proxies believed only when listed.</summary>
public sealed partial class LoginTests
{
    [Fact]
    public async Task A_new_password_closes_every_open_page_and_signing_out_closes_the_sessions_other_tabs()
    {
        await using var server = await StartExposedAsync(("Planner__Access__RevalidateSeconds", "1"));
        await using var context = await browser.Browser.NewContextAsync();
        var first = await context.NewPageAsync();
        await first.GotoAsync(server.BaseUrl + "/login");
        await first.FillAsync("#password", Password);
        await first.ClickAsync("button[type=submit]");
        var second = await context.NewPageAsync();
        await second.GotoAsync(server.BaseUrl + "/workspace");
        foreach (var page in new[] { first, second })
            await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });

        const string newPassword = "a different passphrase, longer";
        await CliProcess.SetAdminPasswordAsync(server.DataDirectory, newPassword);
        foreach (var page in new[] { first, second })
            await Expect(page).ToHaveURLAsync(new Regex("/login"), new() { Timeout = 20_000 });

        await first.FillAsync("#password", newPassword);
        await first.ClickAsync("button[type=submit]");
        await Expect(first.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await second.GotoAsync(server.BaseUrl + "/workspace");
        await Expect(second.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "planner-auth");

        await first.GetByTestId("logout").ClickAsync();
        await Expect(second).ToHaveURLAsync(new Regex("/login"), new() { Timeout = 20_000 });
        // The signed-out cookie, copied before the sign-out, opens nothing either.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var copied = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + "/export/json");
        copied.Headers.Add("Cookie", $"planner-auth={cookie.Value}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(copied)).StatusCode);
    }

    [Fact]
    public async Task Every_spelling_of_the_sign_in_path_counts_and_forwarded_addresses_are_ignored_unless_the_proxy_is_listed()
    {
        await using var server = await StartExposedAsync();
        using var http = Client(server, new CookieContainer());
        var statuses = new List<HttpStatusCode>();
        string[] paths = ["/login/", "/LOGIN", "/Login/", "/login"];
        for (var attempt = 0; attempt < 6; attempt++)
        {
            // A client claiming a new address each time: without a listed proxy the header is not believed.
            http.DefaultRequestHeaders.Remove("X-Forwarded-For");
            http.DefaultRequestHeaders.Add("X-Forwarded-For", $"203.0.113.{attempt + 1}");
            statuses.Add((await PostLoginAsync(http, $"guess number {attempt:D4}", path: paths[attempt % paths.Length])).StatusCode);
        }
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 5).Append(HttpStatusCode.TooManyRequests), statuses);
    }

    [Fact]
    public async Task Behind_a_listed_proxy_each_client_has_its_own_limit_and_the_account_locks_after_ten_wrong_passwords()
    {
        await using var server = await StartExposedAsync(("Planner__TrustedProxies", "127.0.0.1"));
        async Task<(HttpStatusCode Status, string Body)> TryAsync(string client, string password)
        {
            using var http = Client(server, new CookieContainer());
            http.DefaultRequestHeaders.Add("X-Forwarded-For", client);
            var response = await PostLoginAsync(http, password);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        // One client: five attempts a minute, then 429 for it alone.
        for (var attempt = 0; attempt < 5; attempt++) Assert.Equal(HttpStatusCode.OK, (await TryAsync("198.51.100.1", $"guess {attempt:D4} of many")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TryAsync("198.51.100.1", Password)).Status);
        // Other clients: four more wrong passwords leave the account open; the tenth locks it, even for the right one.
        for (var client = 2; client <= 5; client++) Assert.Contains("Wrong password.", (await TryAsync($"198.51.100.{client}", "still not the password")).Body);
        var locked = await TryAsync("198.51.100.6", "the tenth wrong password");
        Assert.Contains("Wrong password.", locked.Body);
        var refused = await TryAsync("198.51.100.7", Password);
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Matches("Too many wrong passwords: sign-in is locked until [0-9]{2}:[0-9]{2} UTC.", refused.Body);
        await server.WaitForLogAsync(log => log.Contains("refused: locked until", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Behind_a_listed_proxy_that_terminates_tls_the_sign_in_cookie_is_secure()
    {
        await using var server = await StartExposedAsync(("Planner__TrustedProxies", "127.0.0.1"), ("Planner__AllowedHosts", "planner.example.com"));
        // The proxy's view of the browser's request: https, planner.example.com. Cookies by hand: the handler would
        // not send Secure cookies over the test's plain http.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(server.BaseUrl) };
        foreach (var (name, value) in new[] { ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "planner.example.com"), ("X-Forwarded-For", "198.51.100.9") })
            http.DefaultRequestHeaders.Add(name, value);
        var form = await http.GetAsync("/login");
        var antiforgery = form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
        var fields = HiddenInput().Matches(await form.Content.ReadAsStringAsync())
            .ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Password"] = Password;
        var post = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = new FormUrlEncodedContent(fields) };
        post.Headers.Add("Cookie", string.Join("; ", antiforgery));
        post.Headers.Add("Origin", "https://planner.example.com");
        var signedIn = await http.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("https://planner.example.com/", signedIn.Headers.Location!.OriginalString);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("planner-auth=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
