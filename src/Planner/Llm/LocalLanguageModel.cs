using System.Runtime.CompilerServices;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;

namespace Planner.Llm;

/// <summary>A GGUF model loaded with LLamaSharp (llama.cpp). The header is checked in managed code before llama.cpp
/// sees the file, and every generation is budgeted so it never decodes past the context: llama.cpp aborts the whole
/// process when a model with learned positions runs out of them, so an over-long prompt is cut from its start.</summary>
public sealed class LocalLanguageModel : IDisposable
{
    private readonly LLamaWeights weights;
    private readonly ModelParams parameters;

    /// <summary>One thread per generation served at once (<see cref="ModelSettings.ParallelRequests"/>), each running
    /// every llama.cpp computation of the generation it serves (see <see cref="DecodeThread"/>); those not serving one.</summary>
    private readonly DecodeThread[] threads;
    private readonly System.Threading.Channels.Channel<DecodeThread> idle;

    /// <summary>llama.cpp's own sampling defaults, for whatever a request leaves unset.</summary>
    private static readonly DefaultSamplingPipeline SamplingDefaults = new();

    /// <summary>The names of the threads that run this model's llama.cpp computations.</summary>
    internal IReadOnlyList<string> DecodeThreadNames => [.. threads.Select(t => t.Name)];

    public GgufInfo Info { get; }
    public ModelSettings Settings { get; }
    public int ContextSize { get; }

    /// <summary>How many threads each new token is decoded with, and why (measured at load unless set).</summary>
    public DecodeThreadChoice DecodeThreads { get; }

    private LocalLanguageModel(GgufInfo info, ModelSettings settings, LLamaWeights weights, ModelParams parameters, int context, DecodeThread[] threads, DecodeThreadChoice decode)
    {
        DecodeThreads = decode;
        Info = info;
        Settings = settings;
        this.weights = weights;
        this.parameters = parameters;
        ContextSize = context;
        this.threads = threads;
        idle = System.Threading.Channels.Channel.CreateUnbounded<DecodeThread>();
        foreach (var thread in threads) idle.Writer.TryWrite(thread);
    }

    /// <summary>Loads a model, or throws <see cref="InvalidDataException"/> saying why the file cannot be used.</summary>
    public static LocalLanguageModel Load(string path, ModelSettings? settings = null)
    {
        settings ??= ModelSettings.Default;
        var info = GgufReader.Read(path);
        if (info.Architecture is not { } architecture || !ModelRegistry.SupportedArchitectures.Contains(architecture))
            throw new InvalidDataException($"{info.FileName}: architecture '{info.Architecture ?? "none"}' is not supported by the bundled llama.cpp.");
        var trained = info.ContextLength ?? throw new InvalidDataException($"{info.FileName} does not state its context length.");
        var context = Math.Min(settings.ContextSize ?? trained, trained);
        if (context >= 256) context -= context % 256;
        LlamaNativeLibrary.Configure(null);
        var perContext = settings.ThreadsPerRequest;
        var parameters = new ModelParams(path)
        {
            ContextSize = (uint)context,
            GpuLayerCount = settings.GpuLayers,
            Threads = perContext, // each new token: chosen below
            BatchThreads = perContext, // the prompt (LLamaSharp's default for batches is half the processors)
            BatchSize = (uint)Math.Min(context, 512),
            // Flash attention decoded faster on the gpt2 shape, F16 and Q8_0, one thread or two (docs/benchmarks.md,
            // "Engine: decoding near the memory roofline").
            FlashAttention = true,
        };
        var threads = Enumerable.Range(0, Math.Max(1, settings.ParallelRequests)).Select(_ => new DecodeThread()).ToArray();
        LLamaWeights? weights = null;
        try
        {
            weights = threads[0].Run(() => LLamaWeights.LoadFromFile(parameters));
            var decode = settings.DecodeThreads is { } set
                ? DecodeThreadChoice.Set(Math.Min(set, perContext))
                : threads[0].Run(() => DecodeThreadChoice.Measure(weights, parameters, perContext));
            parameters.Threads = decode.Threads;
            return new LocalLanguageModel(info, settings, weights, parameters, context, threads, decode);
        }
        catch
        {
            weights?.Dispose();
            foreach (var thread in threads) thread.Dispose();
            throw;
        }
    }

    /// <summary>The thread counts of a context as this model's generations make them: each new token's, and the prompt's.</summary>
    internal (int Generation, int Batch) ContextThreads() => threads[0].Run(() =>
    {
        using var context = weights.CreateContext(parameters);
        return ((int)context.GenerationThreads, (int)context.BatchThreads);
    });

    public int CountTokens(string text) => weights.Tokenize(text, false, false, Encoding.UTF8).Length;

    /// <summary>A conversation in the model's own chat template (its GGUF's <c>tokenizer.chat_template</c>, matched and
    /// applied by llama.cpp), ending where the assistant's reply begins; null when the model has no template or one
    /// llama.cpp does not know, so the caller falls back to a plain transcript.</summary>
    public string? ApplyChatTemplate(IEnumerable<(string Role, string Content)> messages)
    {
        if (!Info.HasChatTemplate) return null;
        try
        {
            var template = new LLamaTemplate(weights, strict: true) { AddAssistant = true };
            foreach (var (role, content) in messages) template.Add(role, content);
            return LLamaTemplate.Encoding.GetString(template.Apply());
        }
        catch (Exception e) when (e is LLama.Exceptions.RuntimeError or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Streams the continuation of <paramref name="prompt"/>. At most <paramref name="maxTokens"/> tokens,
    /// and never more than the context leaves after the prompt; a prompt too long to leave room for a reply is
    /// shortened from its start (its end — the question — is kept).</summary>
    public IAsyncEnumerable<string> GenerateAsync(string prompt, int? maxTokens = null, CancellationToken ct = default) =>
        GenerateAsync(prompt, new GenerationOptions { MaxTokens = maxTokens }, ct);

    /// <summary>As above, with sampling options: a GBNF grammar constraining the output, stop texts, temperature.</summary>
    public async IAsyncEnumerable<string> GenerateAsync(string prompt, GenerationOptions options, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var wanted = Math.Max(1, options.MaxTokens ?? Settings.MaxOutputTokens);
        var reserve = Math.Min(wanted, ContextSize / 4);
        (prompt, var promptTokens, var cut) = Fit(prompt, ContextSize - reserve - 1); // one tokenization, not one per check
        var budget = Math.Min(wanted, ContextSize - promptTokens - 1);
        using var pipeline = new DefaultSamplingPipeline
        {
            Temperature = (float)(options.Temperature ?? Settings.Temperature),
            Seed = (options.Seed ?? Settings.Seed) is { } s ? (uint)s : (uint)Random.Shared.Next(),
            Grammar = options.Grammar is { } gbnf ? new Grammar(gbnf, "root") : null,
            TopK = options.TopK ?? SamplingDefaults.TopK,
            TopP = options.TopP is { } topP ? (float)topP : SamplingDefaults.TopP,
        };
        string[] stops = ["<|endoftext|>", .. options.Stop];
        using var telemetry = new GenerationTelemetry(Info.FileName, promptTokens);
        var (tokens, silent, characters, end) = (0, 0, 0, GenerationEnd.Finished);
        long firstToken = 0;
        // Stop texts end the reply but are not part of it.
        var held = new StringBuilder();
        var thread = await idle.Reader.ReadAsync(ct);
        // The model's thread decodes and samples without waiting for this reader (a hand-over per token cost more than
        // sampling did); the pieces come through a channel, and the reader stops the producer when it is done.
        using var halt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pieces = System.Threading.Channels.Channel.CreateUnbounded<string>(new() { SingleReader = true, SingleWriter = true });
        var producing = thread.RunAsync(() => Produce(prompt, pipeline, budget, pieces.Writer, halt.Token));
        // The thread goes back to the pool when its work ends, not when this reader finishes: a stream abandoned without
        // being disposed (no await foreach) never reaches the finally below, and would otherwise keep the thread for good.
        var returned = producing.ContinueWith(_ => idle.Writer.TryWrite(thread), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await foreach (var piece in pieces.Reader.ReadAllAsync(ct))
            {
                ct.ThrowIfCancellationRequested(); // pieces already made are not given after a cancel
                telemetry.Token();
                if (tokens++ == 0) firstToken = System.Diagnostics.Stopwatch.GetTimestamp();
                if (piece.Length == 0) silent++;
                if (piece == "<|endoftext|>") break;
                held.Append(piece);
                var text = held.ToString();
                var stop = stops.Select(a => (Anti: a, At: text.IndexOf(a, StringComparison.Ordinal))).Where(p => p.At >= 0).OrderBy(p => p.At).FirstOrDefault();
                if (stop.Anti is not null)
                {
                    end = stop.Anti == "<|endoftext|>" ? GenerationEnd.Finished : GenerationEnd.StopText;
                    held.Clear().Append(text[..stop.At]);
                    break;
                }
                // Hold back a tail that could be the start of a stop text; release the rest.
                var hold = stops.Max(a => PartialSuffix(text, a));
                if (text.Length - hold > 0)
                {
                    characters += text.Length - hold;
                    yield return text[..^hold];
                    held.Clear().Append(text[^hold..]);
                }
            }
            if (held.Length > 0)
            {
                characters += held.Length;
                yield return held.ToString();
            }
            if (end == GenerationEnd.Finished && tokens >= budget) end = GenerationEnd.TokenLimit;
            options.Finished?.Invoke(new GenerationReport
            {
                ContextSize = ContextSize, PromptTokens = promptTokens, PromptTokensCut = cut, TokensRequested = wanted, TokensAllowed = budget,
                TokensGenerated = tokens, TokensWithoutText = silent, Characters = characters, End = end,
                Decoding = tokens == 0 ? TimeSpan.Zero : System.Diagnostics.Stopwatch.GetElapsedTime(firstToken),
            });
        }
        finally
        {
            await halt.CancelAsync();
            await ((Task)producing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing); // its failure reached the reader
            await returned;
        }
    }

    /// <summary>On the model's thread: decodes the prompt, then samples and decodes up to <paramref name="budget"/>
    /// tokens, writing each token's text (possibly empty) to <paramref name="pieces"/>, until the end of generation or
    /// <paramref name="stop"/>. The channel is completed however it ends, with the failure if there is one.</summary>
    private bool Produce(string prompt, DefaultSamplingPipeline pipeline, int budget, System.Threading.Channels.ChannelWriter<string> pieces, CancellationToken stop)
    {
        try
        {
            using var context = weights.CreateContext(parameters);
            var ids = context.Tokenize(prompt, true, true); // with the model's start token, special tokens as such
            var batch = new LLamaBatch();
            var position = DecodePrompt(context, batch, ids);
            var decoder = new StreamingTokenDecoder(context);
            for (var i = 0; i < budget && !stop.IsCancellationRequested; i++)
            {
                var id = pipeline.Sample(context.NativeHandle, batch.TokenCount - 1);
                if (id.IsEndOfGeneration(weights.Vocab)) break;
                decoder.Add(id);
                pieces.TryWrite(decoder.Read());
                if (i == budget - 1) break; // the last token needs no decoding
                batch.Clear();
                batch.Add(id, position++, LLamaSeqId.Zero, true);
                Decode(context, batch);
            }
            pieces.TryComplete();
        }
        catch (Exception e) when (pieces.TryComplete(e))
        {
            // the reader gets it
        }
        return true;
    }

    /// <summary>Decodes the prompt in batches of the context's batch size, with logits for its last token only, and
    /// returns the position after it; <paramref name="batch"/> then holds the last batch.</summary>
    private int DecodePrompt(LLamaContext context, LLamaBatch batch, LLamaToken[] ids)
    {
        if (ids.Length == 0) throw new ArgumentException("The prompt cannot be empty.", nameof(ids));
        for (var start = 0; start < ids.Length; start += (int)parameters.BatchSize)
        {
            batch.Clear();
            var stop = Math.Min(ids.Length, start + (int)parameters.BatchSize);
            for (var i = start; i < stop; i++) batch.Add(ids[i], i, LLamaSeqId.Zero, i == ids.Length - 1);
            Decode(context, batch);
        }
        return ids.Length;
    }

    /// <summary>The model's log-probability of each of <paramref name="continuations"/> following <paramref name="prompt"/>
    /// (the sum over its tokens, read from the logits): what a grammar that allows exactly these texts chooses among, as
    /// numbers. The prompt is decoded once; each continuation is decoded after it and removed again. A prompt too long to
    /// leave room for the longest continuation is cut from its start, as in generation.</summary>
    public IReadOnlyList<double> ScoreContinuations(string prompt, IReadOnlyList<string> continuations, CancellationToken ct = default)
    {
        if (continuations.Count == 0) return [];
        var thread = idle.Reader.TryRead(out var free) ? free : idle.Reader.ReadAsync(ct).AsTask().GetAwaiter().GetResult();
        try
        {
            return thread.Run(() => Score(prompt, continuations, ct));
        }
        finally
        {
            idle.Writer.TryWrite(thread);
        }
    }

    private double[] Score(string prompt, IReadOnlyList<string> continuations, CancellationToken ct)
    {
        var endings = continuations.Select(c => weights.Tokenize(c, false, false, Encoding.UTF8)).ToList();
        if (endings.Any(e => e.Length == 0)) throw new ArgumentException("A continuation cannot be empty.", nameof(continuations));
        var longest = endings.Max(e => e.Length);
        if (longest >= ContextSize / 2) throw new ArgumentException("A continuation is too long to score within the model's context.", nameof(continuations));
        var ids = weights.Tokenize(Fit(prompt, ContextSize - longest - 1).Prompt, false, false, Encoding.UTF8);
        if (ids.Length == 0) throw new ArgumentException("The prompt cannot be empty.", nameof(prompt));
        using var context = new LLamaContext(weights, parameters);
        var batch = new LLamaBatch();
        DecodePrompt(context, batch, ids);
        var first = LogSoftmax(context.NativeHandle.GetLogitsIth(batch.TokenCount - 1));
        var scores = new double[endings.Count];
        foreach (var (ending, k) in endings.Select((e, k) => (e, k)))
        {
            ct.ThrowIfCancellationRequested();
            var score = first[(int)ending[0]];
            if (ending.Length > 1)
            {
                batch.Clear();
                var at = new int[ending.Length - 1];
                for (var j = 0; j < ending.Length - 1; j++) at[j] = batch.Add(ending[j], ids.Length + j, LLamaSeqId.Zero, true);
                Decode(context, batch);
                for (var j = 1; j < ending.Length; j++) score += LogSoftmax(context.NativeHandle.GetLogitsIth(at[j - 1]))[(int)ending[j]];
                context.NativeHandle.MemorySequenceRemove(LLamaSeqId.Zero, ids.Length, -1);
            }
            scores[k] = score;
        }
        return scores;
    }

    private static void Decode(LLamaContext context, LLamaBatch batch)
    {
        var result = context.Decode(batch);
        if (result != LLama.Native.DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp could not decode the prompt ({result}).");
    }

    private static double[] LogSoftmax(Span<float> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        var sum = 0.0;
        foreach (var l in logits) sum += Math.Exp(l - max);
        var log = max + Math.Log(sum);
        var result = new double[logits.Length];
        for (var i = 0; i < logits.Length; i++) result[i] = logits[i] - log;
        return result;
    }

    /// <summary>The length of the longest end of <paramref name="text"/> that begins <paramref name="stop"/>.</summary>
    private static int PartialSuffix(string text, string stop)
    {
        for (var n = Math.Min(stop.Length - 1, text.Length); n > 0; n--)
            if (text.AsSpan(text.Length - n).SequenceEqual(stop.AsSpan(0, n))) return n;
        return 0;
    }

    /// <summary>The prompt, cut from its start (at token granularity) so that it is at most <paramref name="tokens"/> long.</summary>
    public string FitPrompt(string prompt, int tokens) => Fit(prompt, tokens).Prompt;

    /// <summary><see cref="FitPrompt"/>, with the fitted prompt's length in tokens and how many tokens were cut.</summary>
    private (string Prompt, int Tokens, int Cut) Fit(string prompt, int tokens)
    {
        var ids = weights.Tokenize(prompt, false, false, Encoding.UTF8);
        if (ids.Length <= tokens) return (prompt, ids.Length, 0);
        var keep = ids[^Math.Max(1, tokens)..];
        var decoder = new StreamingTokenDecoder(Encoding.UTF8, weights);
        decoder.AddRange(keep);
        var fitted = decoder.Read();
        return (fitted, CountTokens(fitted), ids.Length - keep.Length); // decoded text can re-tokenize differently: count what is sent
    }

    public void Dispose()
    {
        foreach (var thread in threads) thread.Dispose(); // each finishes what it was given, then the weights go
        weights.Dispose();
    }
}
