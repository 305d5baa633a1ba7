using System.Security.Cryptography;
using Planner.Hosting.Hub;
using Planner.Llm;

namespace Planner.Hosting.Tests.Hub;

/// <summary>Downloads from a real hub-shaped server on 127.0.0.1 serving a GGUF made by the Engine's own export.</summary>
public sealed class ModelDownloaderTests : IAsyncLifetime
{
    private const string Repo = "acme/tiny-instruct-GGUF";
    private readonly TempFolder folder = new("planner-hub");
    private HubTestServer server = default!;
    private byte[] gguf = default!;

    private string Models => Path.Combine(folder.Path, "models");

    public async Task InitializeAsync()
    {
        server = await HubTestServer.StartAsync();
        gguf = await File.ReadAllBytesAsync(TinyModel.File);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        folder.Dispose();
    }

    private ModelDownloader Downloader(HubClient client, Func<string, long>? freeSpace = null) =>
        new(client, Models, freeSpace) { RetryDelay = TimeSpan.Zero, IdleTimeout = TimeSpan.FromSeconds(30) };

    private HubClient Client(string? token = null) => new(new HubSettings(server.BaseUrl, token));

    private static string[] FilesUnder(string path) => Directory.Exists(path) ? Directory.GetFiles(path, "*", SearchOption.AllDirectories) : [];

    [Fact]
    public async Task A_download_lands_in_the_models_folder_under_its_repository_verified_and_readable()
    {
        var hosted = server.Add(Repo, "tiny-q8.gguf", gguf);
        using var client = Client();
        var reports = new List<DownloadProgress>();
        var result = await Downloader(client).DownloadAsync(Repo, "tiny-q8.gguf", null, new SynchronousProgress<DownloadProgress>(reports.Add));

        Assert.Equal(Path.Combine(Models, "acme", "tiny-instruct-GGUF", "tiny-q8.gguf"), result.FilePath);
        Assert.Equal(hosted.Sha256, result.Sha256);
        Assert.Equal(gguf, await File.ReadAllBytesAsync(result.FilePath));
        Assert.False(result.AlreadyPresent);
        Assert.Equal(gguf.Length, result.BytesFetched);
        Assert.Equal(gguf.Length, reports[^1].Received);
        Assert.Equal(gguf.Length, reports[^1].Total);
        Assert.Empty(FilesUnder(Path.Combine(Models, ModelDownloader.PartialFolderName)));
        Assert.Contains(ModelRegistry.For(new Files.PlannerPaths(folder.Path) { ModelsDirectory = Models }).Scan(), m => m.Path == result.FilePath && m.Problem is null);
    }

    [Fact]
    public async Task A_dropped_connection_is_resumed_from_the_byte_it_stopped_at()
    {
        var hosted = server.Add(Repo, "tiny.gguf", gguf);
        hosted.DropAfter.Enqueue(1_000_000);
        hosted.DropAfter.Enqueue(2_000_000);
        using var client = Client();
        var result = await Downloader(client).DownloadAsync(Repo, "tiny.gguf", null, null);

        Assert.Equal(hosted.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(result.FilePath))));
        var gets = server.Requests.Where(r => r.Method == "GET" && r.Path.StartsWith("/cdn/", StringComparison.Ordinal)).ToList();
        // An aborted connection may lose bytes already sent, so each resume starts at most where the drop was.
        Assert.Equal(3, gets.Count);
        Assert.Null(gets[0].Range);
        var first = Start(gets[1].Range);
        var second = Start(gets[2].Range);
        Assert.InRange(first, 1, 1_000_000);
        Assert.InRange(second, first + 1, first + 2_000_000);
        Assert.Equal(gguf.Length, result.BytesFetched);
    }

    [Fact]
    public async Task A_cancelled_download_keeps_its_bytes_and_the_next_one_fetches_only_the_rest()
    {
        var hosted = server.Add(Repo, "tiny.gguf", gguf);
        hosted.ChunkBytes = 256 * 1024;
        hosted.Gate = new SemaphoreSlim(4);
        using var client = Client();
        using var cancel = new CancellationTokenSource();
        var downloader = Downloader(client);
        var first = downloader.DownloadAsync(Repo, "tiny.gguf", null, null, cancel.Token);
        var partial = Path.Combine(downloader.PartialFolder, $"{hosted.Sha256}.part");
        await WaitUntil(() => File.Exists(partial) && new FileInfo(partial).Length == 4 * 256 * 1024);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(4 * 256 * 1024, new FileInfo(partial).Length);
        Assert.False(File.Exists(downloader.DestinationOf(Repo, "tiny.gguf")));

        hosted.Gate = null;
        var result = await downloader.DownloadAsync(Repo, "tiny.gguf", null, null);
        Assert.Equal(gguf.Length - 4 * 256 * 1024, result.BytesFetched);
        Assert.Equal(gguf, await File.ReadAllBytesAsync(result.FilePath));
        Assert.Equal($"bytes={4 * 256 * 1024}-", server.Requests.Last(r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal)).Range);
    }

    [Fact]
    public async Task Bytes_that_do_not_match_the_published_hash_are_discarded_and_nothing_is_added()
    {
        var hosted = server.Add(Repo, "tiny.gguf", gguf);
        var tampered = (byte[])gguf.Clone();
        tampered[^100] ^= 0xFF;
        hosted.ServedInstead = tampered;
        using var client = Client();
        var refused = await Assert.ThrowsAsync<HubException>(() => Downloader(client).DownloadAsync(Repo, "tiny.gguf", null, null));

        Assert.Equal(HubProblem.ChecksumMismatch, refused.Problem);
        Assert.Contains("does not match the SHA-256", refused.Message, StringComparison.Ordinal);
        Assert.Empty(FilesUnder(Models));
    }

    [Fact]
    public async Task A_server_that_announces_another_length_than_the_hub_is_refused()
    {
        var hosted = server.Add(Repo, "tiny.gguf", gguf);
        hosted.AnnouncedLength = gguf.Length + 4096;
        using var client = Client();
        var refused = await Assert.ThrowsAsync<HubException>(() => Downloader(client).DownloadAsync(Repo, "tiny.gguf", null, null));

        Assert.Equal(HubProblem.SizeMismatch, refused.Problem);
        Assert.Empty(FilesUnder(Models));
    }

    [Fact]
    public async Task A_file_with_the_right_hash_that_is_not_a_gguf_is_refused()
    {
        var noise = new byte[200_000];
        new Random(3).NextBytes(noise);
        server.Add(Repo, "weights.gguf", noise);
        using var client = Client();
        var refused = await Assert.ThrowsAsync<HubException>(() => Downloader(client).DownloadAsync(Repo, "weights.gguf", null, null));

        Assert.Equal(HubProblem.NotAModel, refused.Problem);
        Assert.DoesNotContain(folder.Path, refused.Message, StringComparison.Ordinal);
        Assert.Empty(FilesUnder(Models));
    }

    [Fact]
    public async Task A_hugging_face_gpt2_safetensors_made_by_the_engine_downloads_and_passes_the_engine_reader()
    {
        var weights = folder.File("model.safetensors");
        using (var model = new Engine.Model.Gpt(new Engine.Model.GptConfig(Engine.Model.GptConfig.Gpt2VocabSize, 256, Layers: 1, Heads: 2, Embedding: 32), seed: 1))
            Engine.Export.HuggingFaceGpt2.Save(model, weights);
        server.Add("openai-community/gpt2", "model.safetensors", await File.ReadAllBytesAsync(weights));
        using var client = Client();
        var result = await Downloader(client).DownloadAsync("openai-community/gpt2", "model.safetensors", "main", null);

        Assert.Equal(Path.Combine(Models, "openai-community", "gpt2", "model.safetensors"), result.FilePath);
        Assert.NotEmpty(Engine.Training.SafetensorsHeader.Read(result.FilePath).Shapes);
    }

    [Fact]
    public async Task Too_little_disk_space_is_refused_before_a_byte_is_downloaded()
    {
        server.Add(Repo, "tiny.gguf", gguf);
        using var client = Client();
        var refused = await Assert.ThrowsAsync<HubException>(() =>
            Downloader(client, freeSpace: _ => gguf.Length + ModelDownloader.SpareBytes - 1).DownloadAsync(Repo, "tiny.gguf", null, null));

        Assert.Equal(HubProblem.NoSpace, refused.Problem);
        Assert.Contains("Nothing was downloaded", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Requests, r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_repositories_files_and_revisions_are_named_in_the_message()
    {
        server.Add(Repo, "tiny.gguf", gguf);
        using var client = Client();
        var downloader = Downloader(client);
        var ct = CancellationToken.None;

        var repo = await Assert.ThrowsAsync<HubException>(() => downloader.DownloadAsync("acme/nothing-here", "a.gguf", null, null, ct));
        var file = await Assert.ThrowsAsync<HubException>(() => downloader.DownloadAsync(Repo, "other.gguf", null, null, ct));
        var revision = await Assert.ThrowsAsync<HubException>(() => downloader.DownloadAsync(Repo, "tiny.gguf", "v9", null, ct));

        Assert.All([repo, file, revision], e => Assert.Equal(HubProblem.NotFound, e.Problem));
        Assert.Contains("no repository acme/nothing-here", repo.Message, StringComparison.Ordinal);
        Assert.Contains("has no file other.gguf", file.Message, StringComparison.Ordinal);
        Assert.Contains("'v9'", revision.Message, StringComparison.Ordinal);
        Assert.Empty(FilesUnder(Models));
    }

    [Fact]
    public async Task A_gated_repository_asks_for_a_token_refuses_a_wrong_one_and_serves_the_right_one()
    {
        server.Add(Repo, "tiny.gguf", gguf);
        server.RequireToken(Repo, "hf_right");
        var ct = CancellationToken.None;

        using (var anonymous = Client())
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => Downloader(anonymous).DownloadAsync(Repo, "tiny.gguf", null, null, ct));
            Assert.Equal(HubProblem.Unauthorized, refused.Problem);
            Assert.Contains("wants a token", refused.Message, StringComparison.Ordinal);
        }
        using (var wrong = Client("hf_wrong"))
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => Downloader(wrong).DownloadAsync(Repo, "tiny.gguf", null, null, ct));
            Assert.Contains("refused the token", refused.Message, StringComparison.Ordinal);
        }
        using var right = Client("hf_right");
        var result = await Downloader(right).DownloadAsync(Repo, "tiny.gguf", null, null, ct);
        Assert.True(File.Exists(result.FilePath));
        Assert.Contains(server.Requests, r => r.Authorization == "Bearer hf_right");
    }

    [Fact]
    public async Task A_file_without_a_published_sha256_is_not_downloaded()
    {
        server.Add(Repo, "tiny.gguf", gguf).Small = true;
        using var client = Client();
        var refused = await Assert.ThrowsAsync<HubException>(() => Downloader(client).DownloadAsync(Repo, "tiny.gguf", null, null));

        Assert.Equal(HubProblem.NoChecksum, refused.Problem);
        Assert.Empty(FilesUnder(Models));
    }

    [Fact]
    public async Task A_file_already_in_place_is_not_downloaded_again()
    {
        server.Add(Repo, "tiny.gguf", gguf);
        using var client = Client();
        var downloader = Downloader(client);
        await downloader.DownloadAsync(Repo, "tiny.gguf", null, null);
        var before = server.Requests.Count(r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal));
        var again = await downloader.DownloadAsync(Repo, "tiny.gguf", null, null);

        Assert.True(again.AlreadyPresent);
        Assert.Equal(before, server.Requests.Count(r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("gpt2", "tiny.gguf")]
    [InlineData("acme/../etc", "tiny.gguf")]
    [InlineData("acme/tiny--x", "tiny.gguf")]
    [InlineData("-acme/tiny", "tiny.gguf")]
    [InlineData(Repo, "../../outside.gguf")]
    [InlineData(Repo, "sub\\x.gguf")]
    [InlineData(Repo, "notes.txt")]
    public async Task Names_that_are_not_a_repository_file_or_model_are_refused_before_any_request(string repository, string path)
    {
        using var client = Client();
        var refused = await Assert.ThrowsAsync<HubException>(() => Downloader(client).DownloadAsync(repository, path, null, null));

        Assert.Equal(HubProblem.InvalidName, refused.Problem);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task The_listing_follows_every_page_and_marks_which_files_have_a_sha256()
    {
        server.PageSize = 1;
        server.Add(Repo, "a.gguf", [1]);
        server.Add(Repo, "b/c.gguf", [2]);
        server.Add(Repo, "README.md", [3]).Small = true;
        using var client = Client();
        var files = await client.ListFilesAsync(Repo, null);

        Assert.Equal(["README.md", "a.gguf", "b/c.gguf"], files.Select(f => f.Path));
        Assert.Null(files[0].Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(new byte[] { 1 })), files[1].Sha256);
    }

    private static long Start(string? range)
    {
        Assert.NotNull(range);
        Assert.StartsWith("bytes=", range, StringComparison.Ordinal);
        Assert.EndsWith("-", range, StringComparison.Ordinal);
        return long.Parse(range["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition()) await Task.Delay(10, limit.Token);
    }

    /// <summary>Reports on the calling thread, in order (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
