using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Planner.Hosting.Hub;

/// <summary>Talks to a Hugging Face–compatible hub with its public URL layout: a repository's tree
/// (<c>api/models/{owner}/{name}/tree/{revision}</c>) and a file's bytes (<c>{owner}/{name}/resolve/{revision}/{path}</c>),
/// where a file in large-file storage answers with a redirect to where its bytes are served and states its SHA-256
/// (<c>X-Linked-Etag</c>), size (<c>X-Linked-Size</c>) and commit (<c>X-Repo-Commit</c>). Redirects are followed by hand,
/// so those headers are read and the token is sent to the hub itself only, never to the server the bytes come from.
/// Every refusal is a <see cref="HubException"/> with a message for the founder.</summary>
public sealed class HubClient : IDisposable
{
    private const int MaxRedirects = 5;
    private readonly HttpClient http;

    public HubClient(HubSettings settings, HttpMessageHandler? handler = null)
    {
        Settings = settings;
        http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(20),
        })
        {
            // Downloads take as long as they take; a stalled one is caught by the downloader's idle timeout.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Planner/1.0");
    }

    public HubSettings Settings { get; }

    /// <summary>The files of a repository at a revision, every page of the listing.</summary>
    public async Task<IReadOnlyList<HubFile>> ListFilesAsync(string repository, string? revision, CancellationToken ct = default)
    {
        var (owner, name) = HubNames.Repository(repository);
        var rev = HubNames.Revision(revision);
        var files = new List<HubFile>();
        Uri? next = new(Settings.BaseUrl, $"api/models/{owner}/{name}/tree/{Uri.EscapeDataString(rev)}?recursive=true");
        for (var page = 0; next is not null; page++)
        {
            if (page >= 1000) throw new HubException(HubProblem.ServerError, $"The hub's listing of {repository} does not end.");
            using var response = await SendAsync(HttpMethod.Get, next, null, followRedirects: true, ct);
            await ThrowIfRefusedAsync(response, repository, null, rev, ct);
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                using var document = await JsonDocument.ParseAsync(body, cancellationToken: ct);
                if (document.RootElement.ValueKind != JsonValueKind.Array) throw new JsonException("the listing is not a JSON array");
                foreach (var entry in document.RootElement.EnumerateArray())
                {
                    if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("type", out var type) || type.GetString() != "file") continue;
                    var path = entry.GetProperty("path").GetString() ?? throw new JsonException("a file without a path");
                    var size = entry.TryGetProperty("size", out var s) && s.TryGetInt64(out var n) ? n : 0;
                    string? sha = null;
                    if (entry.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object && lfs.TryGetProperty("oid", out var oid))
                        sha = Sha256Of(oid.GetString());
                    files.Add(new HubFile(path, size, sha));
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                throw new HubException(HubProblem.ServerError, $"The hub's listing of {repository} could not be read: {e.Message}", e);
            }
            next = NextPage(response, next);
        }
        return files;
    }

    /// <summary>What the hub says about a file: asked with HEAD, redirects within the hub followed (a renamed
    /// repository), the redirect to the bytes' server read, not followed.</summary>
    public async Task<HubFileInfo> GetFileInfoAsync(string repository, string path, string? revision, CancellationToken ct = default)
    {
        var (owner, name) = HubNames.Repository(repository);
        var file = HubNames.FilePath(path);
        var rev = HubNames.Revision(revision);
        var escapedPath = string.Join('/', file.Split('/').Select(Uri.EscapeDataString));
        var url = new Uri(Settings.BaseUrl, $"{owner}/{name}/resolve/{Uri.EscapeDataString(rev)}/{escapedPath}");
        for (var hop = 0; ; hop++)
        {
            using var response = await SendAsync(HttpMethod.Head, url, null, followRedirects: false, ct);
            var location = response.Headers.Location is { } l ? new Uri(url, l) : null;
            if (IsRedirect(response.StatusCode) && location is not null && SameOrigin(location, Settings.BaseUrl) && response.Headers.Contains("X-Linked-Etag") is false)
            {
                if (hop >= MaxRedirects) throw new HubException(HubProblem.ServerError, $"The hub redirected {repository}/{file} too many times.");
                url = location;
                continue;
            }
            if (!IsRedirect(response.StatusCode)) await ThrowIfRefusedAsync(response, repository, file, rev, ct);
            var etag = Header(response, "X-Linked-Etag") ?? response.Headers.ETag?.Tag;
            var sizeText = Header(response, "X-Linked-Size");
            long size = sizeText is not null && long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var linked) ? linked
                : response.Content.Headers.ContentLength ?? -1;
            if (size < 0) throw new HubException(HubProblem.ServerError, $"The hub did not say how large {repository}/{file} is.");
            return new HubFileInfo(repository, file, Header(response, "X-Repo-Commit"), size, Sha256Of(etag),
                IsRedirect(response.StatusCode) ? location ?? url : url);
        }
    }

    /// <summary>Sends a request, with the token only when it goes to the hub itself; redirects followed when asked
    /// (at most five), the response returned as soon as its headers arrive.</summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, Action<HttpRequestMessage>? configure, bool followRedirects, CancellationToken ct)
    {
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
            if (Settings.Token is { } token && SameOrigin(url, Settings.BaseUrl))
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            configure?.Invoke(request);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            }
            catch (HttpRequestException e)
            {
                throw new HubException(HubProblem.Unreachable, $"Cannot reach the model hub at {url.GetLeftPart(UriPartial.Authority)}: {e.Message}", e);
            }
            if (followRedirects && IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                response.Dispose();
                if (hop >= MaxRedirects) throw new HubException(HubProblem.ServerError, $"{url.GetLeftPart(UriPartial.Authority)} redirected too many times.");
                url = new Uri(url, location);
                continue;
            }
            return response;
        }
    }

    /// <summary>Turns the hub's refusals into messages: 401/403 (gated or private, or a token refused), 404 (which part
    /// is missing, from <c>X-Error-Code</c>), any other failure with its status.</summary>
    internal async Task ThrowIfRefusedAsync(HttpResponseMessage response, string repository, string? file, string revision, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var code = Header(response, "X-Error-Code");
        var what = file is null ? repository : $"{file} in {repository}";
        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw new HubException(HubProblem.Unauthorized, Settings.Token is null
                    ? $"The hub wants a token for {repository} (a gated or private repository): add a Hugging Face access token on the Models page or in {HubSettings.TokenVariable}, after accepting the model's licence on its page."
                    : $"The hub refused the token for {repository}: check it is valid and that the model's licence was accepted on its page.");
            case HttpStatusCode.NotFound:
                throw new HubException(HubProblem.NotFound, code switch
                {
                    "RepoNotFound" => $"There is no repository {repository} on {Settings.BaseUrl.Host} (or it is private).",
                    "RevisionNotFound" => $"{repository} has no branch, tag or commit '{revision}'.",
                    _ when file is not null => $"{repository} has no file {file} at '{revision}'.",
                    _ => $"{repository} was not found on {Settings.BaseUrl.Host}.",
                });
            default:
                var detail = await ReasonAsync(response, ct);
                throw new HubException(HubProblem.ServerError, $"The hub could not serve {what}: {(int)response.StatusCode} {response.ReasonPhrase}{detail}.");
        }
    }

    public void Dispose() => http.Dispose();

    /// <summary>A 64-digit hexadecimal ETag is the content's SHA-256 (large-file storage); anything else (a git blob
    /// id, a weak validator) is not.</summary>
    internal static string? Sha256Of(string? etag)
    {
        if (etag is null) return null;
        var value = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        value = value.Trim().Trim('"').ToLowerInvariant();
        return value.Length == 64 && value.All(char.IsAsciiHexDigit) ? value : null;
    }

    private static async Task<string> ReasonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            using var document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                ? $" ({Security.UntrustedText.Shown(error.GetString(), 200)})" : "";
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException)
        {
            return "";
        }
    }

    private static Uri? NextPage(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var parts = link.Split(';');
            if (parts.Length > 1 && parts.Skip(1).Any(p => p.Trim() is "rel=\"next\"" or "rel=next"))
                return new Uri(current, parts[0].Trim().TrimStart('<').TrimEnd('>'));
        }
        return null;
    }

    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}
