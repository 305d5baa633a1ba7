using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Planner.TestSupport;

/// <summary>
/// A model hub on 127.0.0.1 (Kestrel, a free port) with the Hugging Face hub's URL layout and headers, serving files
/// the tests give it (made by the project's own Engine export):
/// <list type="bullet">
/// <item><c>GET /api/models/{owner}/{name}/tree/{revision}</c>: the file listing (paged by <see cref="PageSize"/>, with a
/// <c>Link: rel="next"</c> header), large files with <c>lfs.oid</c> = SHA-256;</item>
/// <item><c>HEAD|GET /{owner}/{name}/resolve/{revision}/{path}</c>: 302 to <c>/cdn/{sha256}</c> with <c>X-Linked-Etag</c>,
/// <c>X-Linked-Size</c>, <c>X-Repo-Commit</c>; 404 with <c>X-Error-Code</c> (RepoNotFound, EntryNotFound); 401 for a
/// repository that needs a token;</item>
/// <item><c>GET /cdn/{sha256}</c>: the bytes, with <c>Range: bytes=N-</c> answered by 206.</item>
/// </list>
/// Faults are scripted per file: drop the connection after some bytes, announce a wrong Content-Length, serve other
/// bytes than the ones hashed, send slowly. Every request is recorded.
/// </summary>
public sealed class HubTestServer : IAsyncDisposable
{
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, HostedFile> files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<HubRequest> requests = new();

    private HubTestServer(WebApplication app) => this.app = app;

    /// <summary>The hub's base URL, ending in '/'.</summary>
    public Uri BaseUrl { get; private set; } = default!;

    /// <summary>Entries per page of a tree listing.</summary>
    public int PageSize { get; set; } = 1000;

    public IReadOnlyList<HubRequest> Requests => [.. requests];

    /// <summary>A file served by the hub, and the faults scripted for it.</summary>
    public sealed class HostedFile(string repository, string path, byte[] content)
    {
        public string Repository { get; } = repository;
        public string Path { get; } = path;
        public byte[] Content { get; } = content;
        public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(content));

        /// <summary>The next GETs of the bytes each end the connection after this many bytes (one entry per GET).</summary>
        public ConcurrentQueue<long> DropAfter { get; } = new();

        /// <summary>Served instead of <see cref="Content"/> (the hash and size announced stay those of the content).</summary>
        public byte[]? ServedInstead { get; set; }

        /// <summary>Announced as the Content-Length of the bytes, whatever is sent.</summary>
        public long? AnnouncedLength { get; set; }

        /// <summary>No large-file storage: answered directly with a git blob id as ETag (no SHA-256).</summary>
        public bool Small { get; set; }

        /// <summary>Sent in pieces of this many bytes with a flush between (a slow link), when set.</summary>
        public int? ChunkBytes { get; set; }

        /// <summary>Released once per chunk when set: the test decides when each chunk goes.</summary>
        public SemaphoreSlim? Gate { get; set; }
    }

    /// <summary>A request as the server saw it.</summary>
    public sealed record HubRequest(string Method, string Path, string? Range, string? Authorization);

    public static async Task<HubTestServer> StartAsync()
    {
        HubTestServer? server = null;
        var (app, address) = await LoopbackApp.StartAsync(app => app.Run(context => server!.HandleAsync(context)));
        server = new HubTestServer(app) { BaseUrl = address };
        return server;
    }

    public HostedFile Add(string repository, string path, byte[] content)
    {
        var file = new HostedFile(repository, path, content);
        files[$"{repository}/{path}"] = file;
        return file;
    }

    /// <summary>The repository answers 401 unless this bearer token is sent.</summary>
    public void RequireToken(string repository, string token) => tokens[repository] = token;

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = Uri.UnescapeDataString(request.Path.Value ?? "");
        requests.Enqueue(new HubRequest(request.Method, path, request.Headers.Range.ToString() is { Length: > 0 } r ? r : null,
            request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null));
        var parts = path.Trim('/').Split('/');
        if (parts is ["api", "models", var owner, var name, "tree", var revision]) await TreeAsync(context, $"{owner}/{name}", revision);
        else if (parts.Length >= 5 && parts[2] == "resolve") Resolve(context, $"{parts[0]}/{parts[1]}", string.Join('/', parts[3..]));
        else if (parts is ["cdn", var sha]) await BytesAsync(context, files.Values.FirstOrDefault(f => f.Sha256 == sha));
        else context.Response.StatusCode = 404;
    }

    private bool Refused(HttpContext context, string repository)
    {
        if (!files.Values.Any(f => f.Repository == repository))
        {
            context.Response.StatusCode = 404;
            context.Response.Headers["X-Error-Code"] = "RepoNotFound";
            return true;
        }
        if (tokens.TryGetValue(repository, out var token) && context.Request.Headers.Authorization.ToString() != $"Bearer {token}")
        {
            context.Response.StatusCode = 401;
            context.Response.Headers["X-Error-Code"] = "GatedRepo";
            return true;
        }
        return false;
    }

    private async Task TreeAsync(HttpContext context, string repository, string revision)
    {
        if (Refused(context, repository)) return;
        if (revision != "main")
        {
            context.Response.StatusCode = 404;
            context.Response.Headers["X-Error-Code"] = "RevisionNotFound";
            return;
        }
        var all = files.Values.Where(f => f.Repository == repository).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var cursor = int.TryParse(context.Request.Query["cursor"], NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : 0;
        var page = all.Skip(cursor).Take(PageSize).Select(f => f.Small
            ? (object)new { type = "file", path = f.Path, size = f.Content.Length, oid = f.Sha256[..40] }
            : new { type = "file", path = f.Path, size = f.Content.Length, oid = f.Sha256[..40], lfs = new { oid = f.Sha256, size = f.Content.Length, pointerSize = 134 } });
        if (cursor + PageSize < all.Count)
            context.Response.Headers["Link"] = $"<{BaseUrl}api/models/{repository}/tree/{revision}?recursive=true&cursor={cursor + PageSize}>; rel=\"next\"";
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new object[] { new { type = "directory", path = "docs", oid = "0" } }.Concat(page)));
    }

    private void Resolve(HttpContext context, string repository, string revisionAndPath)
    {
        if (Refused(context, repository)) return;
        var slash = revisionAndPath.IndexOf('/', StringComparison.Ordinal);
        var (revision, path) = slash < 0 ? (revisionAndPath, "") : (revisionAndPath[..slash], revisionAndPath[(slash + 1)..]);
        if (revision != "main")
        {
            context.Response.StatusCode = 404;
            context.Response.Headers["X-Error-Code"] = "RevisionNotFound";
            return;
        }
        if (!files.TryGetValue($"{repository}/{path}", out var file))
        {
            context.Response.StatusCode = 404;
            context.Response.Headers["X-Error-Code"] = "EntryNotFound";
            return;
        }
        context.Response.Headers["X-Repo-Commit"] = Commit;
        if (file.Small)
        {
            context.Response.Headers.ETag = $"\"{file.Sha256[..40]}\"";
            context.Response.ContentLength = file.Content.Length;
            return;
        }
        context.Response.StatusCode = 302;
        context.Response.Headers["X-Linked-Etag"] = $"\"{file.Sha256}\"";
        context.Response.Headers["X-Linked-Size"] = file.Content.Length.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.Location = $"/cdn/{file.Sha256}";
    }

    private static async Task BytesAsync(HttpContext context, HostedFile? file)
    {
        if (file is null)
        {
            context.Response.StatusCode = 404;
            return;
        }
        var content = file.ServedInstead ?? file.Content;
        long from = 0;
        var range = context.Request.Headers.Range.ToString();
        if (range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-')
            && long.TryParse(range["bytes=".Length..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            if (start >= content.Length)
            {
                context.Response.StatusCode = 416;
                context.Response.Headers.ContentRange = $"bytes */{content.Length}";
                return;
            }
            from = start;
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {from}-{content.Length - 1}/{file.AnnouncedLength ?? content.Length}";
        }
        context.Response.Headers.ETag = $"\"{file.Sha256}\"";
        context.Response.Headers.AcceptRanges = "bytes";
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = from == 0 && file.AnnouncedLength is { } announced ? announced : content.Length - from;
        if (context.Request.Method == HttpMethods.Head) return;
        var end = file.DropAfter.TryDequeue(out var drop) ? Math.Min(content.Length, from + drop) : content.Length;
        var chunk = file.ChunkBytes ?? (int)Math.Max(1, end - from);
        for (var at = from; at < end; at += chunk)
        {
            if (file.Gate is { } gate) await gate.WaitAsync(context.RequestAborted);
            await context.Response.Body.WriteAsync(content.AsMemory((int)at, (int)Math.Min(chunk, end - at)), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
        if (end < content.Length || context.Response.ContentLength > content.Length - from) context.Abort();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
