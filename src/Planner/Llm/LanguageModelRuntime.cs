using System.Diagnostics;
using Planner.Telemetry;

namespace Planner.Llm;

/// <summary>The model the founder chose, loaded on first use and shared: requests are served in turn, as many at once
/// as the model's <see cref="ModelSettings.ParallelRequests"/> (one by default: a CPU runs one generation well, not
/// several; a GPU serves several, each in its own context over the same weights), and callers can see how many are
/// waiting. With a <see cref="LlmSettingsStore"/>, the choice and each model's settings are read from it and every
/// choice is saved to it; a model chosen elsewhere (another instance on the same database, the CLI) is followed at the
/// next request.</summary>
public sealed class LanguageModelRuntime : IDisposable
{
    private readonly ModelRegistry registry;
    private readonly LlmSettingsStore? store;
    private readonly TurnQueue turns = new(1);
    private readonly Lock gate = new();
    private LocalLanguageModel? loaded;
    private int waiting;

    // The model being loaded for the current choice (off the lock: llama.cpp maps and checks the file, seconds for a
    // large model); requests that need it wait on it, and choosing, unloading and status reads never do. Loads run one
    // after another, so a load abandoned by a new choice is freed before the next one begins.
    private PendingLoad? loading;
    private Task lastLoadSettled = Task.CompletedTask;
    private bool disposed;

    /// <summary>A load and whether its outcome has been dealt with (the model adopted, or freed).</summary>
    private sealed class PendingLoad(Task<LocalLanguageModel> task)
    {
        public Task<LocalLanguageModel> Task { get; } = task;
        public bool Settled { get; set; }
    }

    // Generations using each model, and models replaced while in use: freed when their last generation ends.
    private readonly Dictionary<LocalLanguageModel, int> users = [];
    private readonly Dictionary<LocalLanguageModel, TaskCompletionSource> retired = [];

    private readonly Func<string, ModelSettings, LocalLanguageModel> load;

    public LanguageModelRuntime(ModelRegistry registry, LlmSettingsStore? store = null) : this(registry, store, LocalLanguageModel.Load)
    {
    }

    /// <param name="load">Loads a model file (tests hold a load back to see the runtime answer meanwhile).</param>
    internal LanguageModelRuntime(ModelRegistry registry, LlmSettingsStore? store, Func<string, ModelSettings, LocalLanguageModel> load)
    {
        this.registry = registry;
        this.store = store;
        this.load = load;
        if (store?.Current is { } saved)
        {
            ActivePath = saved.ActiveModel;
            Settings = saved.SettingsFor(saved.ActiveModel);
            turns.Limit = Settings.ParallelRequests;
        }
    }

    /// <summary>Raised after each generation that ended without an error, with the model file and what it did (the
    /// Models page keeps the decode speed from it).</summary>
    public event Action<string, GenerationReport>? Generated;

    /// <summary>The chosen model file; null means the first usable one in the registry.</summary>
    public string? ActivePath { get; private set; }
    public ModelSettings Settings { get; private set; } = ModelSettings.Default;
    public int Waiting => Volatile.Read(ref waiting);

    /// <summary>Generations running now (at most the model's parallel requests).</summary>
    public int Running => turns.Active;
    public string? LoadedPath => loaded?.Info.Path;

    /// <summary>The loaded model's threads for each new token, and why; null when none is loaded.</summary>
    public DecodeThreadChoice? LoadedDecodeThreads => loaded?.DecodeThreads;

    /// <summary>True while a model is being loaded.</summary>
    public bool Loading
    {
        get { lock (gate) return loading is not null; }
    }

    /// <summary>Makes <paramref name="path"/> the active model (unloading the current one; the next request loads it).
    /// Without <paramref name="settings"/>, the model's saved settings apply; given ones are saved for that model.</summary>
    public void Choose(string? path, ModelSettings? settings = null)
    {
        lock (gate)
        {
            var chosenSettings = settings ?? (store is not null ? store.Current.SettingsFor(path) : Settings);
            // Saved first: when the database cannot take the choice (it throws), the model in use stays loaded and in use.
            store?.Update(s =>
            {
                var chosen = s with { ActiveModel = path };
                return settings is not null && path is not null ? chosen.WithModelSettings(path, settings) : chosen;
            });
            ActivePath = path;
            Settings = chosenSettings;
            turns.Limit = Settings.ParallelRequests;
            // Generations may be using the old model: it is freed when the last of them ends, not under their feet.
            if (loaded is { } old) Retire(old);
            loaded = null;
            Abandon();
        }
    }

    /// <summary>Takes the model saved as chosen when it is not this runtime's (chosen on another instance or by the CLI
    /// since): the next load is that one, with its saved settings.</summary>
    private void FollowSavedChoice()
    {
        if (store is null) return;
        lock (gate) // read under the lock, as Choose saves under it: a choice made here is never undone by its own echo
        {
            if (store.Current is not { ActiveModel: { } saved } settings || saved == ActivePath) return;
            ActivePath = saved;
            Settings = settings.SettingsFor(saved);
            turns.Limit = Settings.ParallelRequests;
            if (loaded is { } old) Retire(old);
            loaded = null;
            Abandon();
        }
    }

    /// <summary>Frees <paramref name="model"/> now if no generation uses it, else when the last one ends; the task
    /// completes once it is freed. Call under <see cref="gate"/>.</summary>
    private Task Retire(LocalLanguageModel model)
    {
        if (users.GetValueOrDefault(model) == 0)
        {
            model.Dispose();
            return Task.CompletedTask;
        }
        if (!retired.TryGetValue(model, out var freed))
            retired[model] = freed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return freed.Task;
    }

    /// <summary>Frees the loaded model's memory; the next request loads it again. Waits for running generations.</summary>
    public async Task UnloadAsync(CancellationToken ct = default)
    {
        Task freed;
        lock (gate)
        {
            freed = loaded is { } model ? Retire(model) : Task.CompletedTask;
            loaded = null;
            Abandon();
        }
        await freed.WaitAsync(ct);
    }

    /// <summary>Forgets a load in progress (the choice changed, or the runtime is unloaded or disposed): its model is
    /// freed as soon as it is ready (<see cref="Settle"/>). Call under <see cref="gate"/>.</summary>
    private void Abandon() => loading = null;

    /// <summary>Starts loading <paramref name="path"/> once the previous load has settled. Call under <see cref="gate"/>.</summary>
    private PendingLoad StartLoad(string path, ModelSettings settings)
    {
        var before = lastLoadSettled;
        var pending = new PendingLoad(Task.Run(async () =>
        {
            await before.ConfigureAwait(false);
            return load(path, settings);
        }, CancellationToken.None));
        lastLoadSettled = pending.Task.ContinueWith(_ => Settle(pending), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        loading = pending;
        return pending;
    }

    /// <summary>Deals with a finished load once, whoever gets there first (its continuation or a request that waited for
    /// it): the model becomes the loaded one if it is still the one chosen, and is freed otherwise; a failed load is
    /// forgotten, so the next request tries again.</summary>
    private void Settle(PendingLoad pending)
    {
        lock (gate)
        {
            if (pending.Settled || !pending.Task.IsCompleted) return;
            pending.Settled = true;
            var current = loading == pending;
            if (current) loading = null;
            if (!pending.Task.IsCompletedSuccessfully)
            {
                _ = pending.Task.Exception; // observed: the requests that waited for it have its error
                return;
            }
            var model = pending.Task.Result;
            if (current && !disposed)
            {
                loaded = model;
                turns.Limit = model.Settings.ParallelRequests;
            }
            else
            {
                model.Dispose(); // chosen away, unloaded or disposed while it loaded
            }
        }
    }

    /// <summary>The loaded model, counted as in use: the one in memory, else the one being loaded (this request starts
    /// the load, outside the lock, or waits for the one under way).</summary>
    private async Task<LocalLanguageModel> AcquireAsync(CancellationToken ct)
    {
        while (true)
        {
            PendingLoad pending;
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                if (loaded is { } ready)
                {
                    users[ready] = users.GetValueOrDefault(ready) + 1;
                    return ready;
                }
                if (loading is null)
                {
                    var entry = Active(out var problem) ?? throw new InvalidOperationException(problem);
                    // With no explicit choice the first usable model runs, with its own saved settings.
                    StartLoad(entry.Path, ActivePath is null && store is not null ? store.Current.SettingsFor(entry.Path) : Settings);
                }
                pending = loading!;
            }
            await pending.Task.WaitAsync(ct); // the load's own error, if it fails
            Settle(pending);
            // Loaded now, unless the choice changed while it loaded: then the one chosen now is loaded.
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
            await turns.EnterAsync(ct);
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
            PlannerTelemetry.LlmQueueLength.Add(-1);
        }
        PlannerTelemetry.LlmQueueWait.Record(Stopwatch.GetElapsedTime(queued).TotalSeconds);
        LocalLanguageModel? model = null;
        try
        {
            FollowSavedChoice();
            model = await AcquireAsync(ct);
            return await work(model);
        }
        finally
        {
            if (model is not null)
            {
                lock (gate)
                {
                    if ((users[model] -= 1) == 0)
                    {
                        users.Remove(model);
                        if (retired.Remove(model, out var freed))
                        {
                            model.Dispose();
                            freed.TrySetResult();
                        }
                    }
                }
            }
            turns.Leave();
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
        if (queued is not null && !turns.HasFreeTurn) queued(turns.Waiting + 1);
        var producer = UseAsync(async model =>
        {
            try
            {
                var reported = options with { Finished = report => { options.Finished?.Invoke(report); Generated?.Invoke(model.Info.Path, report); } };
                await foreach (var piece in model.GenerateAsync(prompt(model), reported, ct)) await pieces.Writer.WriteAsync(piece, ct);
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
        lock (gate)
        {
            disposed = true;
            loaded?.Dispose();
            loaded = null;
            Abandon();
            foreach (var (model, freed) in retired)
            {
                model.Dispose();
                freed.TrySetResult();
            }
            retired.Clear();
        }
    }
}
