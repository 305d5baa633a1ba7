using System.Text;
using Planner.Llm;

namespace Planner.Tests.Llm;

public class LocalLanguageModelTests
{
    private static async Task<string> Generate(LocalLanguageModel model, string prompt, int max, CancellationToken ct = default)
    {
        var text = new StringBuilder();
        await foreach (var piece in model.GenerateAsync(prompt, max, ct)) text.Append(piece);
        return text.ToString();
    }

    [Fact]
    public async Task A_gguf_made_by_the_engine_loads_and_streams_a_bounded_answer()
    {
        using var model = LocalLanguageModel.Load(TinyModel.File, new ModelSettings { Seed = 1, Temperature = 0.8 });
        Assert.Equal("gpt2", model.Info.Architecture);
        Assert.Equal(256, model.ContextSize);
        var text = await Generate(model, "Customers want", 12);
        Assert.NotEmpty(text);
        Assert.InRange(model.CountTokens(text), 1, 14); // pieces may merge across token boundaries
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_cut_from_its_start_and_the_process_survives()
    {
        using var model = LocalLanguageModel.Load(TinyModel.File, new ModelSettings { Seed = 2 });
        var prompt = string.Concat(Enumerable.Repeat("The roadmap needs more backend capacity in the second quarter. ", 120)) + "QUESTION_END";
        Assert.True(model.CountTokens(prompt) > 5 * model.ContextSize);
        var fitted = model.FitPrompt(prompt, 100);
        Assert.True(model.CountTokens(fitted) <= 101);
        Assert.EndsWith("QUESTION_END", fitted);
        // 200 tokens asked for: the budget keeps prompt + answer inside the 256-token context (llama.cpp would abort otherwise).
        var text = await Generate(model, prompt, 200);
        Assert.NotNull(text);
    }

    /// <summary>The process's threads by name (Linux keeps 15 characters of each; a new thread starts with its creator's).</summary>
    private static List<string> ThreadNames() =>
        [.. Directory.GetDirectories("/proc/self/task").Select(t => { try { return File.ReadAllText(Path.Combine(t, "comm")).TrimEnd('\n'); } catch (IOException) { return ""; } })];

    [Fact]
    public async Task Without_a_setting_each_new_tokens_threads_are_measured_at_load_and_generations_use_the_choice()
    {
        using var model = LocalLanguageModel.Load(TinyModel.File, new ModelSettings { Seed = 1, Threads = 2 });

        var choice = model.DecodeThreads;
        Assert.Equal([1, 2], choice.Measured.Select(m => m.Threads));
        Assert.All(choice.Measured, m => Assert.True(double.IsFinite(m.TokensPerSecond) && m.TokensPerSecond > 0, $"{m.Threads}: {m.TokensPerSecond}"));
        var expected = DecodeThreadChoice.Choose(choice.Measured);
        Assert.Equal((expected.Threads, expected.Reason), (choice.Threads, choice.Reason));
        Assert.True(choice.Measuring > TimeSpan.Zero);
        Assert.Matches(@"measured at load.* in \d+\.\d\d s: 1 thread \d+ tok/s, 2 threads \d+ tok/s\)$", choice.ToString());
        Assert.Equal((choice.Threads, 2), model.ContextThreads()); // each new token on the choice, the prompt on all
        Assert.NotEmpty(await Generate(model, "Customers want", 6)); // the measuring left nothing behind
    }

    [Fact]
    public void Threads_set_for_each_new_token_are_used_without_measuring_and_never_exceed_a_contexts_share()
    {
        using (var model = LocalLanguageModel.Load(TinyModel.File, new ModelSettings { Threads = 2, DecodeThreads = 1 }))
        {
            Assert.Equal((1, "set in the model's settings"), (model.DecodeThreads.Threads, model.DecodeThreads.Reason));
            Assert.Empty(model.DecodeThreads.Measured);
            Assert.Equal((1, 2), model.ContextThreads());
        }
        using (var shared = LocalLanguageModel.Load(TinyModel.File, new ModelSettings { Threads = 2, DecodeThreads = 2, ParallelRequests = 2 }))
            Assert.Equal((1, 1), shared.ContextThreads()); // two contexts side by side: one thread each
        using (var single = LocalLanguageModel.Load(TinyModel.File, new ModelSettings { Threads = 1 }))
        {
            Assert.Equal((1, "one thread is all there is"), (single.DecodeThreads.Threads, single.DecodeThreads.Reason));
            Assert.Empty(single.DecodeThreads.Measured);
        }
    }

    [Fact]
    public void Every_llama_cpp_computation_runs_on_the_models_decode_thread_so_callers_start_no_openmp_workers()
    {
        // llama.cpp's GNU OpenMP starts worker threads for each thread that decodes, named after it; called from many
        // threads, their workers outnumber the cores and sleep between steps, and two decode threads are no faster than one.
        using var model = LocalLanguageModel.Load(TinyModel.File, new ModelSettings { Seed = 1, Threads = 2 });
        var run = Guid.NewGuid().ToString("N")[..4];
        var callers = Enumerable.Range(1, 3).Select(i => $"caller {run} {i}").ToList();
        using var counted = new Barrier(callers.Count + 1);
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = callers.Select(name => new Thread(() =>
        {
            try
            {
                Assert.NotEmpty(Generate(model, "Customers want", 6).GetAwaiter().GetResult());
                Assert.Equal(2, model.ScoreContinuations("The roadmap is", [" late", " early"]).Count);
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
            counted.SignalAndWait(); // alive until counted: a thread's OpenMP workers end with it
            counted.SignalAndWait();
        }) { Name = name }).ToList();
        threads.ForEach(t => t.Start());
        counted.SignalAndWait();
        var names = ThreadNames();
        counted.SignalAndWait();
        threads.ForEach(t => t.Join());

        Assert.Empty(failures);
        foreach (var caller in callers) Assert.Equal(1, names.Count(n => n == caller)); // the caller alone, no workers of its own
        var decode = Assert.Single(model.DecodeThreadNames);
        Assert.Equal(2, names.Count(n => n == decode)); // the decode thread and the one OpenMP worker its two threads need
    }

    [Fact]
    public async Task A_stream_abandoned_without_being_disposed_gives_the_models_thread_back_once_its_budget_is_spent()
    {
        using var model = LocalLanguageModel.Load(TinyModel.File, new ModelSettings { Seed = 3, ParallelRequests = 1 });
        await ReadOnePieceAndAbandon(model);
        // The model has one thread, so this generation runs only once the abandoned one has given it back.
        var text = await Generate(model, "Customers want", 4).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.NotNull(text);
    }

    /// <summary>Takes the first piece of a stream and drops it without disposing it (no await foreach).</summary>
    private static async Task ReadOnePieceAndAbandon(LocalLanguageModel model)
    {
        var stream = model.GenerateAsync("Once upon a time", 16).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());
    }

    [Fact]
    public async Task Cancelling_stops_the_stream()
    {
        using var model = LocalLanguageModel.Load(TinyModel.File, new ModelSettings { Seed = 3 });
        using var cancel = new CancellationTokenSource();
        var pieces = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in model.GenerateAsync("Once", 200, cancel.Token))
            {
                if (++pieces == 3) cancel.Cancel();
            }
        });
        Assert.Equal(3, pieces);
    }

    [Fact]
    public void Corrupt_and_unsupported_files_are_refused_before_llama_cpp_sees_them()
    {
        var folder = Path.Combine(Path.GetTempPath(), "planner-bad-models", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var truncated = Path.Combine(folder, "cut.gguf");
        File.WriteAllBytes(truncated, File.ReadAllBytes(TinyModel.File)[..4096]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => LocalLanguageModel.Load(truncated)).Message);
        var text = Path.Combine(folder, "notes.gguf");
        File.WriteAllText(text, "this is not a model, it is a note");
        Assert.Contains("not a GGUF", Assert.Throws<InvalidDataException>(() => LocalLanguageModel.Load(text)).Message);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task The_runtime_serves_requests_one_at_a_time_and_says_when_there_is_no_model()
    {
        var empty = Path.Combine(Path.GetTempPath(), "planner-no-models", Guid.NewGuid().ToString("N"));
        using var none = new LanguageModelRuntime(new ModelRegistry([empty]));
        Assert.Null(none.Active(out var problem));
        Assert.StartsWith("No model yet: drop a GGUF file into", problem);

        using var runtime = new LanguageModelRuntime(new ModelRegistry([Path.GetDirectoryName(TinyModel.File)!]));
        runtime.Choose(null, new ModelSettings { Seed = 4 });
        var inside = 0;
        var overlap = false;
        async Task<int> Work(LocalLanguageModel model)
        {
            if (Interlocked.Increment(ref inside) > 1) overlap = true;
            var text = await Generate(model, "Hello", 8);
            Interlocked.Decrement(ref inside);
            return text.Length;
        }
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => runtime.UseAsync(Work)));
        Assert.False(overlap);
        Assert.All(results, n => Assert.True(n > 0));
        Assert.Equal(TinyModel.File, runtime.LoadedPath);
    }

    [Fact]
    public async Task With_two_parallel_requests_two_generate_at_once_as_they_would_alone_and_a_third_waits()
    {
        using var runtime = new LanguageModelRuntime(new ModelRegistry([Path.GetDirectoryName(TinyModel.File)!]));
        string[] prompts = ["Customers want", "The roadmap"];
        var options = prompts.Select((_, i) => new GenerationOptions { MaxTokens = 24, Temperature = 0.9, Seed = 20 + i }).ToArray();
        async Task<string> Alone(LocalLanguageModel model, int i)
        {
            var text = new StringBuilder();
            await foreach (var piece in model.GenerateAsync(prompts[i], options[i])) text.Append(piece);
            return text.ToString();
        }
        runtime.Choose(TinyModel.File, new ModelSettings { ParallelRequests = 1 });
        var expected = new[] { await runtime.UseAsync(m => Alone(m, 0)), await runtime.UseAsync(m => Alone(m, 1)) };

        runtime.Choose(TinyModel.File, new ModelSettings { ParallelRequests = 2 });
        var bothInside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inside = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<string> Together(LocalLanguageModel model, int i)
        {
            if (Interlocked.Increment(ref inside) == 2) bothInside.SetResult();
            await bothInside.Task; // both hold a turn before either generates: the two contexts decode side by side
            var text = await Alone(model, i);
            await release.Task;
            return text;
        }
        var running = prompts.Select((_, i) => runtime.UseAsync(m => Together(m, i))).ToArray();
        await bothInside.Task;
        var third = runtime.UseAsync(_ => Task.FromResult(true));
        Assert.Equal((2, 1), (runtime.Running, runtime.Waiting));
        var unloaded = runtime.UnloadAsync(); // waits for both generations: the weights are theirs until they end
        Assert.False(third.IsCompleted);
        Assert.False(unloaded.IsCompleted);

        release.SetResult();
        Assert.Equal(expected, await Task.WhenAll(running));
        await unloaded;
        Assert.True(await third); // loads the model again
        Assert.Equal(0, runtime.Running);
    }

    [Fact]
    public async Task Choosing_another_model_while_one_generates_lets_the_generation_finish()
    {
        using var runtime = new LanguageModelRuntime(new ModelRegistry([Path.GetDirectoryName(TinyModel.File)!]));
        runtime.Choose(TinyModel.File, new ModelSettings { Seed = 9 });
        var pieces = 0;
        await foreach (var _ in runtime.StreamAsync("Once upon a time", new GenerationOptions { MaxTokens = 60 }))
        {
            // The founder changes settings mid-answer: the running generation keeps its model until it ends.
            if (++pieces == 2) runtime.Choose(TinyModel.File, new ModelSettings { Seed = 10, Temperature = 1.2 });
        }
        Assert.True(pieces > 2);
        var text = await Generate(runtime, "Again", 5);
        Assert.NotEmpty(text);
        Assert.Equal(1.2, runtime.Settings.Temperature);
    }

    [Fact]
    public async Task While_a_model_loads_the_runtime_answers_at_once_and_a_choice_made_meanwhile_is_the_one_used()
    {
        var registry = new ModelRegistry([Path.GetDirectoryName(TinyModel.File)!, Path.GetDirectoryName(TinyModel.Wide)!]);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loads = new List<string>();
        using var runtime = new LanguageModelRuntime(registry, null, (path, settings) =>
        {
            lock (loads) loads.Add(path);
            if (path == TinyModel.File)
            {
                held.SetResult();
                release.Task.Wait(); // a large model still being mapped
            }
            return LocalLanguageModel.Load(path, settings);
        });
        runtime.Choose(TinyModel.File);
        var used = runtime.UseAsync(model => Task.FromResult(model.Info.Path));
        await held.Task;

        // The load holds no lock: the state is read and another model chosen while it goes on (they would wait for
        // the release, which comes after, if it did).
        var answered = Task.Run(() =>
        {
            var state = (runtime.Loading, runtime.LoadedPath, runtime.Active(out _)?.Path);
            runtime.Choose(TinyModel.Wide);
            return state;
        });
        var state = await answered.WaitAsync(TimeSpan.FromSeconds(30)); // a TimeoutException if the runtime waited for the load
        Assert.Equal((true, null, TinyModel.File), state);

        release.SetResult();
        Assert.Equal(TinyModel.Wide, await used); // the request runs with the model chosen while it waited
        Assert.Equal([TinyModel.File, TinyModel.Wide], loads);
        Assert.Equal((false, TinyModel.Wide), (runtime.Loading, runtime.LoadedPath));
    }

    [Fact]
    public async Task A_runtime_disposed_while_a_model_loads_frees_that_model_and_loads_no_other()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loads = new List<string>();
        var runtime = new LanguageModelRuntime(new ModelRegistry([Path.GetDirectoryName(TinyModel.File)!]), null, (path, settings) =>
        {
            lock (loads) loads.Add(path);
            held.TrySetResult();
            release.Task.Wait();
            return LocalLanguageModel.Load(path, settings);
        });
        runtime.Choose(TinyModel.File);
        var waiting = runtime.UseAsync(model => Task.FromResult(model.Info.Path));
        await held.Task;

        runtime.Dispose(); // the app stops while the model is still loading
        release.SetResult();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
        Assert.Equal([TinyModel.File], loads); // the waiting request did not start another load
        Assert.False(runtime.Loading);
    }

    private static async Task<string> Generate(LanguageModelRuntime runtime, string prompt, int max)
    {
        var text = new StringBuilder();
        await foreach (var piece in runtime.StreamAsync(prompt, new GenerationOptions { MaxTokens = max })) text.Append(piece);
        return text.ToString();
    }
}
