using System.Diagnostics;
using Planner.Telemetry;

namespace Planner.Llm;

/// <summary>The model the founder chose, loaded on first use and shared: requests are served one at a time (a CPU
/// runs one generation well, not several), and callers can see how many are waiting. With a
/// <see cref="LlmSettingsStore"/>, the choice and each model's settings are read from it and every choice is saved to it.</summary>
public sealed class LanguageModelRuntime : IDisposable
{
    private readonly ModelRegistry registry;
    private readonly LlmSettingsStore? store;
    private readonly SemaphoreSlim turn = new(1, 1);
    private readonly Lock gate = new();
    private LocalLanguageModel? loaded;
    private int waiting;

    public LanguageModelRuntime(ModelRegistry registry, LlmSettingsStore? store = null)
    {
        this.registry = registry;
        this.store = store;
        if (store?.Current is { } saved)
        {
            ActivePath = saved.ActiveModel;
            Settings = saved.SettingsFor(saved.ActiveModel);
        }
    }

    /// <summary>The chosen model file; null means the first usable one in the registry.</summary>
    public string? ActivePath { get; private set; }
    public ModelSettings Settings { get; private set; } = ModelSettings.Default;
    public int Waiting => Volatile.Read(ref waiting);
    public string? LoadedPath => loaded?.Info.Path;

    /// <summary>Makes <paramref name="path"/> the active model (unloading the current one; the next request loads it).
    /// Without <paramref name="settings"/>, the model's saved settings apply; given ones are saved for that model.</summary>
    public void Choose(string? path, ModelSettings? settings = null)
    {
        lock (gate)
        {
            ActivePath = path;
            Settings = settings ?? (store is not null ? store.Current.SettingsFor(path) : Settings);
            // A generation may be using the old model: free it when the turn is free, not under the generation's feet.
            if (loaded is { } old) _ = DisposeInTurnAsync(old);
            loaded = null;
            store?.Update(s =>
            {
                var chosen = s with { ActiveModel = path };
                return settings is not null && path is not null ? chosen.WithModelSettings(path, settings) : chosen;
            });
        }
    }

    private async Task DisposeInTurnAsync(LocalLanguageModel model)
    {
        await turn.WaitAsync();
        try
        {
            model.Dispose();
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>Frees the loaded model's memory; the next request loads it again. Waits for a running generation.</summary>
    public async Task UnloadAsync(CancellationToken ct = default)
    {
        await turn.WaitAsync(ct);
        try
        {
            lock (gate)
            {
                loaded?.Dispose();
                loaded = null;
            }
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>The model to use, or null with the way forward when there is none.</summary>
    public ModelEntry? Active(out string? problem)
    {
        var entries = registry.Scan();
        var entry = ActivePath is null ? entries.FirstOrDefault(e => e.Usable) : entries.FirstOrDefault(e => e.Path == ActivePath);
        problem = entry is null
            ? $"No model yet: drop a GGUF file into {registry.Folders[0]}, or train one with `planner train` and `planner export-model`."
            : entry.Problem;
        return problem is null ? entry : null;
    }

    /// <summary>Runs <paramref name="work"/> with the loaded model when its turn comes.</summary>
    public async Task<T> UseAsync<T>(Func<LocalLanguageModel, Task<T>> work, CancellationToken ct = default)
    {
        Interlocked.Increment(ref waiting);
        PlannerTelemetry.LlmQueueLength.Add(1);
        var queued = Stopwatch.GetTimestamp();
        try
        {
            await turn.WaitAsync(ct);
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
            PlannerTelemetry.LlmQueueLength.Add(-1);
        }
        PlannerTelemetry.LlmQueueWait.Record(Stopwatch.GetElapsedTime(queued).TotalSeconds);
        try
        {
            LocalLanguageModel model;
            lock (gate)
            {
                if (loaded is null)
                {
                    var entry = Active(out var problem) ?? throw new InvalidOperationException(problem);
                    // With no explicit choice the first usable model runs, with its own saved settings.
                    loaded = LocalLanguageModel.Load(entry.Path, ActivePath is null && store is not null ? store.Current.SettingsFor(entry.Path) : Settings);
                }
                model = loaded;
            }
            return await work(model);
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>Streams a generation that runs in the model's turn: pieces arrive as they are produced, and the stream
    /// ends with the error if the turn never comes (cancelled while queued, no model, a file llama.cpp refuses).
    /// <paramref name="queued"/> is told the position in the queue while waiting.</summary>
    public IAsyncEnumerable<string> StreamAsync(string prompt, GenerationOptions options, Action<int>? queued = null, CancellationToken ct = default) =>
        StreamAsync(_ => prompt, options, queued, ct);

    /// <summary>As above, with the prompt built once the model is loaded (to budget it in the model's tokens).</summary>
    public async IAsyncEnumerable<string> StreamAsync(Func<LocalLanguageModel, string> prompt, GenerationOptions options, Action<int>? queued = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var pieces = System.Threading.Channels.Channel.CreateUnbounded<string>();
        if (queued is not null && Waiting + (turn.CurrentCount == 0 ? 1 : 0) > 0) queued(Waiting + 1);
        var producer = UseAsync(async model =>
        {
            try
            {
                await foreach (var piece in model.GenerateAsync(prompt(model), options, ct)) await pieces.Writer.WriteAsync(piece, ct);
                pieces.Writer.Complete();
            }
            catch (Exception e)
            {
                pieces.Writer.Complete(e);
            }
            return true;
        }, ct);
        _ = producer.ContinueWith(t => pieces.Writer.TryComplete(t.Exception?.GetBaseException()), TaskScheduler.Default);
        await foreach (var piece in pieces.Reader.ReadAllAsync(ct)) yield return piece;
        await producer;
    }

    /// <summary>The loaded model's context size and token count of a text, loading the model if needed.</summary>
    public Task<(int Context, int Tokens)> MeasureAsync(string text, CancellationToken ct = default) =>
        UseAsync(model => Task.FromResult((model.ContextSize, model.CountTokens(text))), ct);

    public void Dispose()
    {
        loaded?.Dispose();
        turn.Dispose();
    }
}
