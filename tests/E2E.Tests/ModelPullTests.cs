namespace Planner.E2E.Tests;

/// <summary><c>planner models pull</c> as a real process against a hub-shaped server on 127.0.0.1 serving a GGUF made
/// by the Engine's own export: killed mid-download (SIGKILL), it resumes from the bytes on disk.</summary>
public sealed class ModelPullTests : IAsyncLifetime
{
    private const string Repo = "acme/tiny-GGUF";
    private const int Chunk = 256 * 1024;
    private readonly string data = Built.NewTempDirectory("pull");
    private HubTestServer hub = default!;
    private byte[] gguf = default!;

    public async Task InitializeAsync()
    {
        hub = await HubTestServer.StartAsync();
        gguf = await File.ReadAllBytesAsync(TinyModel.File);
    }

    public async Task DisposeAsync()
    {
        await hub.DisposeAsync();
        Directory.Delete(data, recursive: true);
    }

    private Dictionary<string, string> Environment => new()
    {
        ["Planner__Hub__BaseUrl"] = hub.BaseUrl.ToString(),
        ["Planner__ModelsDirectory"] = Path.Combine(data, "models"),
    };

    [Fact]
    public async Task A_pull_killed_mid_file_resumes_from_the_bytes_on_disk_and_places_the_whole_file()
    {
        var hosted = hub.Add(Repo, "tiny.gguf", gguf);
        hosted.ChunkBytes = Chunk;
        hosted.Gate = new SemaphoreSlim(3);
        var partial = Path.Combine(data, "models", ".downloads", $"{hosted.Sha256}.part");
        var destination = Path.Combine(data, "models", "acme", "tiny-GGUF", "tiny.gguf");

        using (var first = CliProcess.Start(data, data, redirectInput: false, Environment, "models", "pull", Repo, "tiny.gguf"))
        {
            var output = first.StandardOutput.ReadToEndAsync();
            var errors = first.StandardError.ReadToEndAsync();
            try
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                while (!(File.Exists(partial) && new FileInfo(partial).Length == 3 * Chunk))
                {
                    if (first.HasExited) Assert.Fail($"planner exited early: {await errors}");
                    await Task.Delay(20, limit.Token);
                }
            }
            finally
            {
                if (!first.HasExited) first.Kill(); // SIGKILL: no handler runs, the partial file is as the kill left it
                await first.WaitForExitAsync();
                await Task.WhenAll(output, errors);
            }
        }
        Assert.False(File.Exists(destination));

        hosted.Gate = null;
        var second = await CliProcess.RunAsync(data, data, null, Environment, "models", "pull", Repo, "tiny.gguf");

        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("resumed", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(gguf, await File.ReadAllBytesAsync(destination));
        Assert.False(File.Exists(partial));
        Assert.Equal($"bytes={3 * Chunk}-", hub.Requests.Last(r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal)).Range);
        var listed = await CliProcess.RunAsync(data, data, null, Environment, "models", "list");
        Assert.Contains(destination, listed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_are_one_line_and_leave_the_models_folder_empty()
    {
        hub.Add(Repo, "tiny.gguf", gguf);
        hub.RequireToken("acme/gated", "hf_right");
        hub.Add("acme/gated", "g.gguf", gguf);

        var missing = await CliProcess.RunAsync(data, data, null, Environment, "models", "pull", Repo, "other.gguf");
        var gated = await CliProcess.RunAsync(data, data, null, Environment, "models", "pull", "acme/gated", "g.gguf");
        var badName = await CliProcess.RunAsync(data, data, null, Environment, "models", "pull", "not-a-repo", "x.gguf");

        Assert.All([missing, gated, badName], run => Assert.Equal(1, run.ExitCode));
        Assert.Contains("has no file other.gguf", missing.Stderr, StringComparison.Ordinal);
        Assert.Contains("wants a token", gated.Stderr, StringComparison.Ordinal);
        Assert.Contains("is not a model repository id", badName.Stderr, StringComparison.Ordinal);
        Assert.All([missing, gated, badName], run => Assert.Single(run.Stderr.Trim().Split('\n')));
        Assert.False(Directory.Exists(Path.Combine(data, "models")) && Directory.EnumerateFiles(Path.Combine(data, "models"), "*", SearchOption.AllDirectories).Any());

        var saved = await CliProcess.RunAsync(data, data, "hf_right\n", Environment, "models", "token");
        Assert.Equal(0, saved.ExitCode);
        var withToken = await CliProcess.RunAsync(data, data, null, Environment, "models", "pull", "acme/gated");
        Assert.True(withToken.ExitCode == 0, withToken.Stderr);
        Assert.True(File.Exists(Path.Combine(data, "models", "acme", "gated", "g.gguf")));
    }

    [Fact]
    public async Task Training_from_hf_gpt2_pulls_the_hugging_face_weights_then_fine_tunes_them()
    {
        var weights = Path.Combine(data, "hf-gpt2.safetensors");
        using (var model = new Engine.Model.Gpt(new Engine.Model.GptConfig(Engine.Model.GptConfig.Gpt2VocabSize, 256, Layers: 1, Heads: 2, Embedding: 32), seed: 4))
            Engine.Export.HuggingFaceGpt2.Save(model, weights);
        hub.Add("openai-community/gpt2", "model.safetensors", await File.ReadAllBytesAsync(weights));
        var corpus = Path.Combine(data, "corpus.txt");
        await File.WriteAllTextAsync(corpus, string.Concat(Enumerable.Repeat("Billing ships before the mobile app; the backend team has four engineers. ", 200)));

        var run = await CliProcess.RunAsync(data, data, null, Environment,
            "train", "--corpus", corpus, "--out", Path.Combine(data, "run"), "--init", "hf:openai-community/gpt2", "--steps", "1", "--batch", "1");

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Contains("Pulling model.safetensors from openai-community/gpt2", run.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "models", "openai-community", "gpt2", "model.safetensors")));
        var config = Engine.Training.CheckpointStore.ReadMetadata(Path.Combine(data, "run", "checkpoint")).Model;
        Assert.Equal((1, 32, 256), (config.Layers, config.Embedding, config.ContextLength));
    }
}
