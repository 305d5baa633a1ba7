using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Planner.Engine.Native;
using static TorchSharp.torch;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Planner.Engine.Model;

/// <summary>
/// A decoding step of one new token computed by the Engine itself, on the model's float32 weights where libtorch keeps
/// them. A step through libtorch is some twenty operations a layer on a single row — layer norms, views, the cache's
/// concatenations, attention, GELU — each of which costs a call's overhead out of all proportion to its arithmetic, so
/// at batch 1 they took about a quarter of the step beside the weight products (docs/benchmarks.md, "Engine: decoding
/// near the memory roofline"). Here the whole step is the products (<see cref="RowProduct"/>, split on
/// <see cref="RowWorkers"/>) and a few vector loops (<see cref="TensorPrimitives"/>), and the keys and values stay in
/// one buffer sized for the context instead of growing by concatenation.
/// <para>The prompt still goes through libtorch (its batched products are the fast way to read many positions): the
/// decoder starts from the <see cref="KvCache"/> that pass filled. Used only where <see cref="Applies"/> holds: float32
/// weights on the CPU, no mixed precision, one sequence; everything else decodes through libtorch as before.</para>
/// </summary>
internal sealed unsafe class RowDecoder : IDisposable
{
    private readonly GptConfig config;
    private readonly int c, heads, headSize, context, vocab;
    private readonly float eps;
    private readonly Tensor[] owned;       // the parameters, kept alive (never disposed here: the model owns them)
    private readonly float* wte, wpe, lnfWeight, lnfBias;
    private readonly Layer[] layers;
    private readonly float* keys, values;   // [layer][head][position][headSize], NativeMemory
    private readonly float* x, h, qkv, y, f, scores;
    private readonly float[] logits;
    private int length;
    private bool disposed;

    /// <summary>False: generation decodes every step through libtorch, as before this decoder (the Engine bench's
    /// side-by-side).</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>One block's weights, where libtorch keeps them.</summary>
    private readonly struct Layer(float* ln1W, float* ln1B, float* attnW, float* attnB, float* projW, float* projB,
        float* ln2W, float* ln2B, float* fcW, float* fcB, float* outW, float* outB)
    {
        public readonly float* Ln1W = ln1W, Ln1B = ln1B, AttnW = attnW, AttnB = attnB, ProjW = projW, ProjB = projB;
        public readonly float* Ln2W = ln2W, Ln2B = ln2B, FcW = fcW, FcB = fcB, OutW = outW, OutB = outB;
    }

    /// <summary>Whether this decoder can run <paramref name="model"/>: float32 contiguous weights on the CPU (each under
    /// 2 GiB), no mixed precision set, and 256-bit vectors in hardware.</summary>
    public static bool Applies(Gpt model) =>
        Vector256.IsHardwareAccelerated
        && model.modules().Prepend(model).OfType<IMixedPrecision>().All(p => p.MatmulType is null)
        && model.parameters().All(p => p.device_type == TorchSharp.DeviceType.CPU && p.dtype == ScalarType.Float32 && p.is_contiguous()
                                       && p.numel() <= int.MaxValue / sizeof(float)); // each read as one span

    /// <param name="filled">The cache of the prompt's pass through <paramref name="model"/> (one sequence); copied.</param>
    public RowDecoder(Gpt model, KvCache filled)
    {
        config = model.Config;
        (c, heads, headSize, context, vocab) = (config.Embedding, config.Heads, config.HeadSize, config.ContextLength, config.VocabSize);
        eps = (float)config.LayerNormEpsilon;
        var named = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        owned = [.. named.Values];
        float* P(string name) => (float*)TensorMemory.Start(named[name]);
        wte = P("wte.weight");
        wpe = P("wpe.weight");
        lnfWeight = P("ln_f.weight");
        lnfBias = P("ln_f.bias");
        layers = [.. Enumerable.Range(0, config.Layers).Select(i => new Layer(
            P($"h.{i}.ln_1.weight"), P($"h.{i}.ln_1.bias"), P($"h.{i}.attn.c_attn.weight"), P($"h.{i}.attn.c_attn.bias"),
            P($"h.{i}.attn.c_proj.weight"), P($"h.{i}.attn.c_proj.bias"), P($"h.{i}.ln_2.weight"), P($"h.{i}.ln_2.bias"),
            P($"h.{i}.mlp.c_fc.weight"), P($"h.{i}.mlp.c_fc.bias"), P($"h.{i}.mlp.c_proj.weight"), P($"h.{i}.mlp.c_proj.bias")))];

        var cacheFloats = (nuint)config.Layers * (nuint)context * (nuint)c;
        keys = (float*)NativeMemory.AlignedAlloc(cacheFloats * sizeof(float), 64);
        values = (float*)NativeMemory.AlignedAlloc(cacheFloats * sizeof(float), 64);
        var scratch = (nuint)(c + c + 3 * c + c + 4 * c + context);
        x = (float*)NativeMemory.AlignedAlloc(scratch * sizeof(float), 64);
        h = x + c;
        qkv = h + c;
        y = qkv + 3 * c;
        f = y + c;
        scores = f + 4 * c;
        logits = new float[vocab];

        length = (int)filled.Length;
        for (var l = 0; l < config.Layers; l++)
        {
            var (k, v) = filled.Layer(l);                                  // (1, heads, length, headSize)
            using var kc = k.contiguous();
            using var vc = v.contiguous();
            if (kc.shape[0] != 1) throw new ArgumentException("The row decoder decodes one sequence.", nameof(filled));
            for (var head = 0; head < heads; head++)
            {
                var (from, count) = (head * length * headSize, length * headSize);
                MemoryMarshal.Cast<byte, float>(kc.bytes).Slice(from, count).CopyTo(new Span<float>(KeyAt(l, head, 0), count));
                MemoryMarshal.Cast<byte, float>(vc.bytes).Slice(from, count).CopyTo(new Span<float>(ValueAt(l, head, 0), count));
            }
        }
    }

    /// <summary>Positions seen so far (the next token's position).</summary>
    public int Length => length;

    private float* KeyAt(int layer, int head, int position) => keys + (((long)layer * heads + head) * context + position) * headSize;

    private float* ValueAt(int layer, int head, int position) => values + (((long)layer * heads + head) * context + position) * headSize;

    /// <summary>The logits after <paramref name="token"/> at the next position (the array is reused by the next step).</summary>
    public float[] Step(int token)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (length >= context) throw new InvalidOperationException($"The context of {context} tokens is full.");
        if ((uint)token >= (uint)vocab) throw new ArgumentOutOfRangeException(nameof(token), token, $"Token ids are below {vocab}.");
        var threads = LibtorchThreads.ForRowProducts;
        var stream = new Span<float>(x, c);
        TensorPrimitives.Add(new ReadOnlySpan<float>(wte + (long)token * c, c), new ReadOnlySpan<float>(wpe + (long)length * c, c), stream);
        var scale = 1f / MathF.Sqrt(headSize);
        var seen = length + 1;
        var att = new Span<float>(scores, seen);
        for (var l = 0; l < layers.Length; l++)
        {
            var w = layers[l];
            LayerNorm(x, w.Ln1W, w.Ln1B, h);
            RowProduct.Multiply(w.AttnW, h, qkv, w.AttnB, 3 * c, c, threads);
            for (var head = 0; head < heads; head++)
            {
                new ReadOnlySpan<float>(qkv + c + head * headSize, headSize).CopyTo(new Span<float>(KeyAt(l, head, length), headSize));
                new ReadOnlySpan<float>(qkv + 2 * c + head * headSize, headSize).CopyTo(new Span<float>(ValueAt(l, head, length), headSize));
                var q = new ReadOnlySpan<float>(qkv + head * headSize, headSize);
                for (var p = 0; p < seen; p++) att[p] = TensorPrimitives.Dot(q, new ReadOnlySpan<float>(KeyAt(l, head, p), headSize)) * scale;
                TensorPrimitives.Subtract(att, TensorPrimitives.Max(att), att); // SoftMax does not shift by the largest itself:
                TensorPrimitives.SoftMax(att, att);                                // large scores would overflow its exponentials
                var output = new Span<float>(y + head * headSize, headSize);
                output.Clear();
                for (var p = 0; p < seen; p++) TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(ValueAt(l, head, p), headSize), att[p], output, output);
            }
            RowProduct.Multiply(w.ProjW, y, h, w.ProjB, c, c, threads);
            TensorPrimitives.Add(stream, new ReadOnlySpan<float>(h, c), stream);
            LayerNorm(x, w.Ln2W, w.Ln2B, h);
            RowProduct.Multiply(w.FcW, h, f, w.FcB, 4 * c, c, threads);
            FusedGelu.ForwardInPlace(new Span<float>(f, 4 * c));
            RowProduct.Multiply(w.OutW, f, h, w.OutB, c, 4 * c, threads);
            TensorPrimitives.Add(stream, new ReadOnlySpan<float>(h, c), stream);
        }
        LayerNorm(x, lnfWeight, lnfBias, h);
        fixed (float* result = logits) RowProduct.Multiply(wte, h, result, null, vocab, c, threads);
        length++;
        return logits;
    }

    /// <summary>(v − mean) / sqrt(variance + eps) · weight + bias over the row, as torch's LayerNorm (biased variance).</summary>
    private void LayerNorm(float* input, float* weight, float* bias, float* output)
    {
        var row = new ReadOnlySpan<float>(input, c);
        var result = new Span<float>(output, c);
        var mean = TensorPrimitives.Sum(row) / c;
        TensorPrimitives.Subtract(row, mean, result);
        var variance = TensorPrimitives.SumOfSquares(result) / c;
        TensorPrimitives.Multiply(result, 1f / MathF.Sqrt(variance + eps), result);
        TensorPrimitives.MultiplyAdd(result, new ReadOnlySpan<float>(weight, c), new ReadOnlySpan<float>(bias, c), result);
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    /// <summary>A generation whose enumerator is abandoned without being disposed still gives its buffers back.</summary>
    ~RowDecoder() => Free();

    private void Free()
    {
        if (disposed) return;
        disposed = true;
        NativeMemory.AlignedFree(keys);
        NativeMemory.AlignedFree(values);
        NativeMemory.AlignedFree(x);
        GC.KeepAlive(owned);
    }
}
