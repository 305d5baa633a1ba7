namespace Planner.E2E.Tests;

/// <summary>What the real server answers over HTTP: health, security headers, export downloads.</summary>
public sealed class HttpSurfaceTests
{
    [Fact]
    public async Task Health_headers_and_exports_answer_as_documented()
    {
        await using var app = await AppServer.StartAsync();
        using var http = new HttpClient();

        var health = await http.GetAsync(app.BaseUrl + "/healthz");
        Assert.True(health.IsSuccessStatusCode);
        var line = await health.Content.ReadAsStringAsync();
        Assert.StartsWith("ok: database reachable, 1 workspace; no model; training idle; engine: MKL ", line);
        // Kept while a run trains, as planner train keeps it, where glibc's heap can be tuned; off elsewhere (musl, Windows, macOS).
        Assert.EndsWith(HasGlibc() ? ", training heap kept" : ", training heap off", line);
        // The app started again asking glibc for huge pages, where this machine lets it (HugePages).
        if (HugePagesMachine.CanAsk) Assert.Contains(", huge pages asked, ", line);

        var page = await http.GetAsync(app.BaseUrl + "/");
        var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("connect-src 'self'", policy);
        Assert.Contains("object-src 'none'", policy);
        Assert.Equal("nosniff", string.Join(",", page.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", string.Join(",", page.Headers.GetValues("X-Frame-Options")));

        var csv = await http.GetAsync(app.BaseUrl + "/export/csv?workspace=Ledgerloom");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Ledgerloom.csv", csv.Content.Headers.ContentDisposition!.FileName);
        Assert.StartsWith("id,title,description,status", await csv.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync(app.BaseUrl + "/export/pdf")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(app.BaseUrl + "/export/json?workspace=nope")).StatusCode);
    }

    /// <summary>Whether this machine's C library is glibc: the test's own look, not the app's.</summary>
    private static bool HasGlibc()
    {
        if (!OperatingSystem.IsLinux() || !System.Runtime.InteropServices.NativeLibrary.TryLoad("libc.so.6", out var libc)) return false;
        try
        {
            return System.Runtime.InteropServices.NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _);
        }
        finally
        {
            System.Runtime.InteropServices.NativeLibrary.Free(libc);
        }
    }
}
