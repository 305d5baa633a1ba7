using Planner.Engine.Model;
using Planner.Engine.Native;
using Planner.Engine.Tokenization;
using static TorchSharp.torch;

namespace Planner.Engine.Generation;

/// <summary>Autoregressive generation from a GPT. Never runs past the model's context: a prompt longer than the context
/// keeps its last tokens, and generation stops when the context is full.</summary>
public static class TextGenerator
{
    /// <summary>Generates a continuation of <paramref name="prompt"/> and returns only the new text.</summary>
    public static string Generate(Gpt model, string prompt, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        var promptTokens = Gpt2Tokenizer.Instance.Encode(prompt);
        return Gpt2Tokenizer.Instance.Decode(GenerateTokens(model, promptTokens, options, cancellationToken));
    }

    /// <summary>New token ids, one at a time (for streaming). An empty prompt starts from &lt;|endoftext|&gt;, as GPT-2 does.</summary>
    public static IEnumerable<int> GenerateTokens(Gpt model, IReadOnlyList<int> prompt, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        var context = model.Config.ContextLength;
        var tokens = prompt.Count == 0 ? [Gpt2Tokenizer.EndOfText] : prompt.Skip(Math.Max(0, prompt.Count - (context - 1))).ToList();
        var random = options.Seed is { } seed ? new Random(seed) : new Random();
        var device = model.parameters().First().device;
        var wasTraining = model.training;
        model.eval();
        using var cache = options.UseKvCache ? model.NewCache() : null;
        RowDecoder? decoder = null;
        try
        {
            var pending = tokens.ToList();                                           // tokens not yet seen by the cache
            for (var produced = 0; produced < options.MaxTokens && tokens.Count < context; produced++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int next;
                var input = cache is null ? tokens : pending;
                if (decoder is not null)
                {
                    // After the prompt, each step of one new token on the Engine's own decoder (RowDecoder), whose row
                    // products split among the threads libtorch has on this thread.
                    using (LibtorchThreads.Alone())
                        next = TokenSampler.Sample(decoder.Step(input[0]), options, random);
                }
                else
                {
                    // A step of one new token is all row products (LibtorchThreads): libtorch runs this thread alone for it.
                    using (cache is not null && input.Count == 1 ? LibtorchThreads.Alone() : default)
                    using (no_grad())
                    using (var scope = NewDisposeScope())
                    {
                        var idx = tensor(input.Select(t => (long)t).ToArray(), [1, input.Count]).to(device);
                        var logits = model.LastLogits(idx, cache)[0].to(CPU).data<float>().ToArray(); // (vocab)
                        next = TokenSampler.Sample(logits, options, random);
                    }
                    if (cache is not null && RowDecoder.Enabled && RowDecoder.Applies(model)) decoder = new RowDecoder(model, cache);
                }
                if (options.StopAtEndOfText && next == Gpt2Tokenizer.EndOfText) yield break;
                tokens.Add(next);
                pending = [next];
                yield return next;
            }
        }
        finally
        {
            decoder?.Dispose();
            model.train(wasTraining);
        }
    }
}
