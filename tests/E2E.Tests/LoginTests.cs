using System.Net;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

/// <summary>The app bound to every address (0.0.0.0) with remote access allowed: everything but /healthz and the
/// sign-in form needs the administrator password.</summary>
public sealed partial class LoginTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Password = "correct horse battery staple";

    private static async Task<AppServer> StartExposedAsync(params (string Key, string Value)[] settings)
    {
        var data = Built.NewTempDirectory("exposed");
        await CliProcess.SetAdminPasswordAsync(data, Password);
        var environment = new Dictionary<string, string> { ["Planner__AllowRemoteAccess"] = "true" };
        foreach (var (key, value) in settings) environment[key] = value;
        return await AppServer.StartAsync(data, environment, listenHost: "0.0.0.0");
    }

    private static HttpClient Client(AppServer server, CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = new Uri(server.BaseUrl) };

    /// <summary>Fills the sign-in form as a browser would: its hidden fields (antiforgery token, form name) plus the password.</summary>
    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient http, string password, string query = "", string path = "/login")
    {
        var form = await http.GetStringAsync("/login" + query);
        var fields = HiddenInput().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        Assert.Contains("__RequestVerificationToken", fields.Keys);
        fields["Password"] = password;
        return await http.PostAsync(path + query, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)"\s*/?>""")]
    private static partial Regex HiddenInput();

    [Fact]
    public async Task Everything_but_health_asks_for_the_password_and_only_the_right_one_opens_it()
    {
        await using var server = await StartExposedAsync();
        var cookies = new CookieContainer();
        using var http = Client(server, cookies);

        var page = await http.GetAsync("/documents");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Fdocuments", page.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/export/json")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/_blazor/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/ready")).StatusCode);

        var wrong = await PostLoginAsync(http, "not the password at all");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("Wrong password.", await wrong.Content.ReadAsStringAsync());
        Assert.DoesNotContain(cookies.GetAllCookies(), c => c.Name == "planner-auth");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/export/json")).StatusCode);

        var right = await PostLoginAsync(http, Password, "?ReturnUrl=%2Fdocuments");
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(server.BaseUrl + "/documents", right.Headers.Location!.OriginalString);
        var setCookie = right.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("planner-auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/documents")).StatusCode);
        var export = await http.GetAsync("/export/json");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Contains("\"initiatives\"", await export.Content.ReadAsStringAsync());

        // A return address elsewhere is not followed (no open redirect through the sign-in form).
        var elsewhere = await PostLoginAsync(http, Password, "?ReturnUrl=%2F%2Fevil.example%2F");
        Assert.Equal(server.BaseUrl + "/", elsewhere.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Login_attempts_beyond_the_limit_are_refused_even_with_the_right_password()
    {
        await using var server = await StartExposedAsync();
        using var http = Client(server, new CookieContainer());
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 10 && !statuses.Contains(HttpStatusCode.TooManyRequests); attempt++)
            statuses.Add((await PostLoginAsync(http, $"guess number {attempt:D4}")).StatusCode);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 5).Append(HttpStatusCode.TooManyRequests), statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PostLoginAsync(http, Password)).StatusCode);
    }

    [Fact]
    public async Task A_founder_signs_in_in_the_browser_works_with_the_live_page_and_signs_out()
    {
        await using var server = await StartExposedAsync();
        var page = await browser.Browser.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/workspace");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2Fworkspace$"));
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await Expect(page).ToHaveURLAsync(server.BaseUrl + "/workspace");
        // The circuit (the /_blazor hub) connects with the cookie: the page becomes interactive.
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });

        await page.GetByTestId("logout").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await page.GotoAsync(server.BaseUrl + "/");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2F$"));
    }
}
