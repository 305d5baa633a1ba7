using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Planner.Engine.Model;

/// <summary>
/// Causal self-attention forward and backward in one pass over tiles of 64 queries by 64 keys (the FlashAttention
/// scheme: the scores of a tile are made, turned into probabilities and used while they are in the core's cache, and
/// never stored whole). libtorch's CPU flash kernel does the same work far below the speed of a float32 multiply, and
/// its passes over the scores between the products cost more than the products (docs/benchmarks.md, "Causal attention
/// in one fused kernel"). Here every product is one register-
/// blocked kernel over a 64-row tile and the softmax works on the tile's rows in place. Two widths of vector: 512 bits
/// where the processor has them (<see cref="Tile64"/>, <see cref="Tile32"/>), otherwise the platform's own
/// (<see cref="Vector{T}"/>: 256 bits on x64 processors with AVX2; <see cref="TileNarrow"/>); every step that touches
/// vectors picks one through <see cref="Wide"/>, except the transposed gather, which takes AVX2's gathers in either.
/// Written by hand because no library served here has a fused attention for the CPU.
/// </summary>
/// <remarks>
/// Layouts: <c>qkv</c> is (B, T, 3C) as GPT-2's c_attn makes it (queries, keys, values side by side, head h at columns
/// h·hs of each third); the output is (B, T, C), head h at columns h·hs — the layout c_proj reads, so no transposes are
/// made. Each (sequence, head) is one task; a task copies its queries (scaled by 1/√hs), keys and values into scratch
/// padded to whole tiles (padded keys fall under the causal mask, padded query rows are never written back).
/// </remarks>
internal static unsafe class CausalAttentionKernel
{
    /// <summary>Queries and keys per tile.</summary>
    internal const int TileSize = 64;

    /// <summary>False: the parts run on <see cref="RowWorkers"/>, as where libtorch's OpenMP is not found (tests).</summary>
    internal static bool OnOpenMpTeam { get; set; } = true;

    /// <summary>True: 512-bit vectors (where they run in hardware); false: the platform's own. Tests set it to false to
    /// run the narrow path on a processor with 512-bit vectors.</summary>
    internal static bool Wide { get; set; } = Vector512.IsHardwareAccelerated;

    /// <summary>Whether the narrow path runs in hardware: on x64 with AVX2 and FMA (the platform's vectors 8 or 16 floats
    /// wide; rows of 32 and 64 floats are whole pairs of them), also where the processor has AVX-512 but .NET does not
    /// accelerate 512-bit vectors. Not on Arm: its 128-bit vectors (four floats) have been neither tested nor measured
    /// there.</summary>
    internal static bool NarrowInHardware =>
        Vector.IsHardwareAccelerated && Fma.IsSupported && Vector<float>.Count is 8 or 16;

    /// <summary>The attention training takes on this processor, in words for the set-up line of the CLI and the hosts.</summary>
    public static string Description =>
        Vector512.IsHardwareAccelerated ? "the Engine's fused kernel in 512-bit vectors"
        : NarrowInHardware ? $"the Engine's fused kernel in {Vector<float>.Count * 32}-bit vectors"
        : "libtorch's (no vectors here for the Engine's kernel)";

    /// <summary>Whether the kernel runs here: a head width of 32 or 64, and vectors in hardware, 512 bits or the
    /// platform's own (unless <paramref name="evenInSoftware"/>).</summary>
    public static bool Supports(long headSize, bool evenInSoftware = false) =>
        (Vector512.IsHardwareAccelerated || NarrowInHardware || evenInSoftware) && headSize is 32 or 64;

    /// <summary>Writes the attention of each head into <paramref name="output"/> (B, T, C) and each query row's
    /// log-sum-exp of its scaled scores into <paramref name="logSumExp"/> (B, H, T), on up to
    /// <paramref name="threads"/> threads. qkv and the output are float32, or bfloat16 when
    /// <paramref name="bfloat16"/> (widened as they are read and rounded as they are written; the arithmetic is float32
    /// either way).</summary>
    public static void Forward(void* qkv, void* output, float* logSumExp, int batch, int length, int heads, int headSize, int threads,
        bool bfloat16 = false)
    {
        var shape = new Shape(batch, length, heads, headSize, bfloat16);
        Run(shape, threads, shape.ForwardScratch, (task, scratch) => ForwardTask(shape, task, qkv, output, logSumExp, scratch));
    }

    /// <summary>Writes the gradient of qkv into <paramref name="gradQkv"/> (B, T, 3C) from the gradient of the output
    /// <paramref name="gradOutput"/> (B, T, C) and what the forward pass left: <paramref name="output"/> and
    /// <paramref name="logSumExp"/>. All but the log-sum-exp in bfloat16 when <paramref name="bfloat16"/>.</summary>
    public static void Backward(void* qkv, void* output, float* logSumExp, void* gradOutput, void* gradQkv,
        int batch, int length, int heads, int headSize, int threads, bool bfloat16 = false)
    {
        var shape = new Shape(batch, length, heads, headSize, bfloat16);
        Run(shape, threads, shape.BackwardScratch,
            (task, scratch) => BackwardTask(shape, task, qkv, output, logSumExp, gradOutput, gradQkv, scratch));
    }

    private readonly record struct Shape(int Batch, int Length, int Heads, int HeadSize, bool Bfloat16)
    {
        /// <summary>The rows of a (B, T, <paramref name="width"/>) tensor of the caller's type.</summary>
        public Rows RowsOf(void* data, int width) => new((byte*)data, width, Bfloat16);

        public int Embedding => Heads * HeadSize;
        public int Padded => (Length + TileSize - 1) / TileSize * TileSize;
        public int Tiles => Padded / TileSize;
        public float Scale => 1f / MathF.Sqrt(HeadSize);
        private long Matrix => (long)Padded * HeadSize;
        private const long Tile = TileSize * TileSize;

        // Queries, keys transposed, values; the scores tile; the output tile; each row's running maximum and sum.
        public long ForwardScratch => 3 * Matrix + Tile + TileSize * HeadSize + 2 * TileSize;

        // Queries, keys, keys transposed, values transposed, the output's gradient, the queries' gradient; log-sum-exp and
        // each row's output·gradient; the probabilities and their gradient tiles; the key and value gradient tiles.
        public long BackwardScratch => 6 * Matrix + 2 * Padded + 2 * Tile + 2 * TileSize * HeadSize;
    }

    /// <summary>Runs the B·H tasks on up to <paramref name="threads"/> threads, each with scratch of its own (parts of
    /// one block the calling thread keeps, so that no thread of libtorch's team grows a heap of its own for it).</summary>
    private static void Run(Shape shape, int threads, long scratchFloats, Action<int, IntPtr> task)
    {
        var tasks = shape.Batch * shape.Heads;
        var parts = Math.Clamp(threads, 1, tasks);
        var scratch = Scratch.OfThisThread(parts * scratchFloats);
        int next = -1, member = -1;
        void Part()
        {
            var own = (IntPtr)(scratch + Interlocked.Increment(ref member) * scratchFloats);
            for (int t; (t = Interlocked.Increment(ref next)) < tasks;) task(t, own);
        }
        RowWorkers.RunParts(parts, Part, onTeam: OnOpenMpTeam);
    }

    /// <summary>The calling thread's scratch, kept from call to call and grown to the most asked. A block allocated and
    /// freed at every call came back as fresh pages, faulted in one by one each time (docs/benchmarks.md). Freed when
    /// its thread has ended and the collector finds it unreachable.</summary>
    private sealed class Scratch
    {
        [ThreadStatic] private static Scratch? own;
        private float* block;
        private long floats;

        public static float* OfThisThread(long floats)
        {
            var scratch = own ??= new Scratch();
            if (scratch.floats < floats)
            {
                NativeMemory.AlignedFree(scratch.block);
                scratch.block = null;
                scratch.floats = 0;
                scratch.block = (float*)NativeMemory.AlignedAlloc((nuint)(floats * sizeof(float)), 64);
                scratch.floats = floats;
            }
            return scratch.block;
        }

        ~Scratch() => NativeMemory.AlignedFree(block);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTask(Shape s, int task, void* qkv, void* output, float* logSumExp, IntPtr scratchPointer)
    {
        int b = task / s.Heads, h = task % s.Heads, d = s.HeadSize, n = s.Padded, c = s.Embedding;
        var scratch = (float*)scratchPointer;
        float* q = scratch, kt = q + (long)n * d, v = kt + (long)n * d, scores = v + (long)n * d;
        float* o = scores + TileSize * TileSize, max = o + TileSize * d, sum = max + TileSize;
        var (rows, outputRows) = (s.RowsOf(qkv, 3 * c), s.RowsOf(output, c));
        var first = (long)b * s.Length;                                                   // the sequence's first row
        Gather(rows, first, h * d, s.Length, n, d, s.Scale, q);
        GatherTransposed(rows, first, c + h * d, s.Length, n, d, kt);
        Gather(rows, first, 2 * c + h * d, s.Length, n, d, 1f, v);

        for (var i = 0; i < s.Tiles; i++)
        {
            new Span<float>(max, TileSize).Fill(float.NegativeInfinity);
            new Span<float>(sum, TileSize).Clear();
            new Span<float>(o, TileSize * d).Clear();
            for (var j = 0; j <= i; j++)
            {
                Product(q + (long)i * TileSize * d, d, 1, kt + (long)j * TileSize * d, TileSize, scores, TileSize, d, TileSize, accumulate: false);
                for (var r = 0; r < TileSize; r++)
                {
                    float* row = scores + r * TileSize;
                    var valid = j < i ? TileSize : r + 1;                         // the diagonal tile: keys up to the query
                    for (var k = valid; k < TileSize; k++) row[k] = float.NegativeInfinity; // out of the maximum
                    var (newMax, rowSum) = ExpRow(row, max[r]);                    // masked: e⁻⁸⁷ there, 0 below
                    for (var k = valid; k < TileSize; k++) row[k] = 0;
                    var correction = MathF.Exp(max[r] - newMax);                    // 0 on the first tile (max was −∞)
                    sum[r] = sum[r] * correction + rowSum;
                    max[r] = newMax;
                    if (correction != 1f) Scale(o + r * d, d, correction);
                }
                Product(scores, TileSize, 1, v + (long)j * TileSize * d, d, o, d, TileSize, d, accumulate: true);  // o += p·v
            }
            for (var r = 0; r < TileSize; r++)
            {
                var t = i * TileSize + r;
                if (t >= s.Length) break;
                var inverse = 1f / sum[r];
                float* from = o + r * d;
                outputRows.StoreRow(first + t, h * d, from, d, inverse);
                logSumExp[((long)b * s.Heads + h) * s.Length + t] = max[r] + MathF.Log(sum[r]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardTask(Shape s, int task, void* qkv, void* output, float* logSumExp, void* gradOutput,
        void* gradQkv, IntPtr scratchPointer)
    {
        int b = task / s.Heads, h = task % s.Heads, d = s.HeadSize, n = s.Padded, c = s.Embedding;
        var matrix = (long)n * d;
        var scratch = (float*)scratchPointer;
        float* q = scratch, k = q + matrix, kt = k + matrix, vt = kt + matrix, dOut = vt + matrix, dq = dOut + matrix;
        float* lse = dq + matrix, delta = lse + n, p = delta + n, dp = p + TileSize * TileSize;
        float* dk = dp + TileSize * TileSize, dv = dk + TileSize * d;
        var (rows, outputRows, gradRows, gradQkvRows) = (s.RowsOf(qkv, 3 * c), s.RowsOf(output, c), s.RowsOf(gradOutput, c), s.RowsOf(gradQkv, 3 * c));
        var first = (long)b * s.Length;                                                   // the sequence's first row
        Gather(rows, first, h * d, s.Length, n, d, s.Scale, q);
        Gather(rows, first, c + h * d, s.Length, n, d, 1f, k);
        GatherTransposed(rows, first, c + h * d, s.Length, n, d, kt);
        GatherTransposed(rows, first, 2 * c + h * d, s.Length, n, d, vt);
        Gather(gradRows, first, h * d, s.Length, n, d, 1f, dOut);
        new Span<float>(dq, checked((int)matrix)).Clear();
        for (var t = 0; t < n; t++)
        {
            if (t >= s.Length)
            {
                lse[t] = delta[t] = 0;
                continue;
            }
            lse[t] = logSumExp[((long)b * s.Heads + h) * s.Length + t];
            delta[t] = outputRows.Dot(first + t, h * d, dOut + (long)t * d, d);      // D = rowsum(dO ∘ O)
        }

        for (var j = 0; j < s.Tiles; j++)
        {
            new Span<float>(dk, TileSize * d).Clear();
            new Span<float>(dv, TileSize * d).Clear();
            for (var i = j; i < s.Tiles; i++)
            {
                float* qi = q + (long)i * TileSize * d, dOi = dOut + (long)i * TileSize * d;
                Product(qi, d, 1, kt + (long)j * TileSize * d, TileSize, p, TileSize, d, TileSize, accumulate: false);  // scaled scores
                for (var r = 0; r < TileSize; r++)
                {
                    var t = i * TileSize + r;
                    float* row = p + r * TileSize;
                    var valid = t >= s.Length ? 0 : i > j ? TileSize : r + 1;
                    ExpShifted(row, lse[t]);                                             // the probabilities
                    for (var e = valid; e < TileSize; e++) row[e] = 0;                   // masked, or a padded query row
                }
                Product(p, 1, TileSize, dOi, d, dv, d, TileSize, d, accumulate: true);    // dv += pᵀ·dO
                Product(dOi, d, 1, vt + (long)j * TileSize * d, TileSize, dp, TileSize, d, TileSize, accumulate: false); // dP = dO·vᵀ
                for (var r = 0; r < TileSize; r++)                                       // dS = P ∘ (dP − D), in place of dP
                    ScoresGradient(p + r * TileSize, dp + r * TileSize, delta[i * TileSize + r]);
                Product(dp, TileSize, 1, k + (long)j * TileSize * d, d, dq + (long)i * TileSize * d, d, TileSize, d, accumulate: true); // dq += dS·k
                Product(dp, 1, TileSize, qi, d, dk, d, TileSize, d, accumulate: true);     // dk += dSᵀ·(q/√hs)
            }
            for (var r = 0; r < TileSize; r++)
            {
                var t = j * TileSize + r;
                if (t >= s.Length) break;
                gradQkvRows.StoreRow(first + t, c + h * d, dk + r * d, d, 1f);
                gradQkvRows.StoreRow(first + t, 2 * c + h * d, dv + r * d, d, 1f);
            }
        }
        for (var t = 0; t < s.Length; t++)
        {
            float* from = dq + (long)t * d;
            gradQkvRows.StoreRow(first + t, h * d, from, d, s.Scale);             // dQ = dS·k/√hs
        }
    }

    /// <summary>Rows first..first+length of the d columns from <paramref name="column"/>, times <paramref name="scale"/>,
    /// into <paramref name="to"/> (padded × d), rows from length on zero.</summary>
    private static void Gather(Rows from, long first, int column, int length, int padded, int d, float scale, float* to)
    {
        for (var t = 0; t < length; t++) from.LoadRow(first + t, column, to + (long)t * d, d, scale);
        new Span<float>(to + (long)length * d, (padded - length) * d).Clear();
    }

    /// <summary>As <see cref="Gather"/>, transposed a tile at a time: tile j is a (d × 64) block of its own at
    /// j·64·d, so a product reads it with a stride of 64 floats (rows 4 KB apart — a whole transposed matrix of 1,024
    /// positions — fall into the same few sets of the core's first-level cache and evict each other). Positions from
    /// length on are zero.</summary>
    private static void GatherTransposed(Rows from, long first, int column, int length, int padded, int d, float* to)
    {
        new Span<float>(to, checked(padded * d)).Clear();
        var t = 0;
        if (Avx2.IsSupported)
        {
            // Eight positions of one column per gather, stored together, instead of eight scattered stores. A bfloat16
            // gather reads 32 bits at each value, the value and the next (its own row's, or the next row's: the last
            // position goes alone, so nothing past the tensor is read), and keeps the value's 16.
            var rows = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * (from.Width * from.ElementSize);
            var end = from.Bfloat16 ? length - 1 : length;
            for (; t + 8 <= end; t += 8)
            {
                var source = from.Address(first + t, column);
                float* target = to + (long)(t / TileSize) * TileSize * d + t % TileSize;
                if (from.Bfloat16)
                    for (var e = 0; e < d; e++)
                        Vector256.ShiftLeft(Avx2.GatherVector256((int*)(source + e * from.ElementSize), rows, 1), 16).AsSingle().Store(target + e * TileSize);
                else
                    for (var e = 0; e < d; e++)
                        Avx2.GatherVector256((float*)source + e, rows, 1).Store(target + e * TileSize);
            }
        }
        for (; t < length; t++)
        {
            float* target = to + (long)(t / TileSize) * TileSize * d + t % TileSize;
            for (var e = 0; e < d; e++) target[e * TileSize] = from.Get(first + t, column + e);
        }
    }

    /// <summary>The rows of a (rows, <see cref="Width"/>) row-major tensor of float32 or bfloat16 values, read as float32
    /// and written from float32 (rounded to the nearest bfloat16, ties to even, as libtorch rounds).</summary>
    private readonly struct Rows(byte* data, int width, bool bfloat16)
    {
        public int Width => width;

        public bool Bfloat16 => bfloat16;

        /// <summary>Bytes a value.</summary>
        public int ElementSize => bfloat16 ? 2 : 4;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public byte* Address(long row, int column) => data + (row * width + column) * ElementSize;

        /// <summary>16 values from (row, column).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Load(long row, int column)
        {
            var at = Address(row, column);
            if (!bfloat16) return Vector512.Load((float*)at);
            var (lower, upper) = Vector256.Widen(Vector256.Load((ushort*)at));
            return Vector512.ShiftLeft(Vector512.Create(lower, upper), 16).AsSingle();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Get(long row, int column)
        {
            var at = Address(row, column);
            return bfloat16 ? BitConverter.Int32BitsToSingle(*(ushort*)at << 16) : *(float*)at;
        }

        /// <summary>16 values to (row, column).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(long row, int column, Vector512<float> values)
        {
            var at = Address(row, column);
            if (!bfloat16)
            {
                values.Store((float*)at);
                return;
            }
            ToBfloat16(values).Store((ushort*)at);
        }

        /// <summary><paramref name="count"/> values (32 or 64: whole vectors of either width) from (row, column), times
        /// <paramref name="factor"/>, into <paramref name="to"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void LoadRow(long row, int column, float* to, int count, float factor)
        {
            if (Wide)
            {
                for (var e = 0; e < count; e += 16) (Load(row, column + e) * factor).Store(to + e);
                return;
            }
            var w = Vector<float>.Count;
            for (var e = 0; e < count; e += 2 * w)
            {
                var (lower, upper) = LoadPair(row, column + e);
                (lower * factor).Store(to + e);
                (upper * factor).Store(to + e + w);
            }
        }

        /// <summary><paramref name="count"/> values (32 or 64: whole vectors of either width) from <paramref name="from"/>, times
        /// <paramref name="factor"/>, to (row, column).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void StoreRow(long row, int column, float* from, int count, float factor)
        {
            if (Wide)
            {
                if (factor == 1f)
                    for (var e = 0; e < count; e += 16) Store(row, column + e, Vector512.Load(from + e));
                else
                    for (var e = 0; e < count; e += 16) Store(row, column + e, Vector512.Load(from + e) * factor);
                return;
            }
            var w = Vector<float>.Count;
            for (var e = 0; e < count; e += 2 * w) StorePair(row, column + e, Vector.Load(from + e) * factor, Vector.Load(from + e + w) * factor);
        }

        /// <summary>The dot product of <paramref name="count"/> values (32 or 64: whole vectors of either width) from (row, column) with
        /// <paramref name="other"/>'s.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Dot(long row, int column, float* other, int count)
        {
            if (Wide)
            {
                var dot = Vector512<float>.Zero;
                for (var e = 0; e < count; e += 16) dot = Vector512.FusedMultiplyAdd(Load(row, column + e), Vector512.Load(other + e), dot);
                return Vector512.Sum(dot);
            }
            var w = Vector<float>.Count;
            var sum = Vector<float>.Zero;
            for (var e = 0; e < count; e += 2 * w)
            {
                var (lower, upper) = LoadPair(row, column + e);
                sum = Vector.FusedMultiplyAdd(upper, Vector.Load(other + e + w), Vector.FusedMultiplyAdd(lower, Vector.Load(other + e), sum));
            }
            return Vector.Sum(sum);
        }

        /// <summary>Two of the platform's vectors from (row, column): a bfloat16 row's one vector of 16-bit values
        /// widens into two.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private (Vector<float> Lower, Vector<float> Upper) LoadPair(long row, int column)
        {
            var at = Address(row, column);
            if (!bfloat16) return (Vector.Load((float*)at), Vector.Load((float*)at + Vector<float>.Count));
            Vector.Widen(Vector.Load((ushort*)at), out Vector<uint> lower, out Vector<uint> upper);
            return (Vector.AsVectorSingle(Vector.ShiftLeft(lower, 16)), Vector.AsVectorSingle(Vector.ShiftLeft(upper, 16)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void StorePair(long row, int column, Vector<float> lower, Vector<float> upper)
        {
            var at = Address(row, column);
            if (!bfloat16)
            {
                lower.Store((float*)at);
                upper.Store((float*)at + Vector<float>.Count);
                return;
            }
            Vector.Narrow(ToBfloat16(lower), ToBfloat16(upper)).Store((ushort*)at);
        }
    }

    /// <summary>Each float32 rounded to the nearest bfloat16, ties to even, as libtorch rounds (a NaN as 0x7FC0, so that
    /// no NaN's payload carries into the sign or the exponent).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<ushort> ToBfloat16(Vector512<float> values)
    {
        var bits = values.AsUInt32();
        var rounded = Vector512.ShiftRightLogical(bits + Vector512.Create(0x7FFFu) + (Vector512.ShiftRightLogical(bits, 16) & Vector512<uint>.One), 16);
        rounded = Vector512.ConditionalSelect(Vector512.Equals(values, values).AsUInt32(), rounded, Vector512.Create(0x7FC0u));
        return Vector512.Narrow(rounded, Vector512<uint>.Zero).GetLower();
    }

    /// <summary>One float32 rounded to the nearest bfloat16, ties to even; a NaN as 0x7FC0, as the vectors round it.</summary>
    internal static ushort ToBfloat16(float value)
    {
        if (float.IsNaN(value)) return 0x7FC0;
        var bits = BitConverter.SingleToUInt32Bits(value);
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1)) >> 16);
    }

    /// <summary>As <see cref="ToBfloat16(Vector512{float})"/> in the platform's vectors, each bfloat16 in the low 16 bits
    /// of its lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<uint> ToBfloat16(Vector<float> values)
    {
        var bits = Vector.AsVectorUInt32(values);
        var rounded = Vector.ShiftRightLogical(bits + new Vector<uint>(0x7FFFu) + (Vector.ShiftRightLogical(bits, 16) & Vector<uint>.One), 16);
        return Vector.ConditionalSelect(Vector.AsVectorUInt32(Vector.Equals(values, values)), rounded, new Vector<uint>(0x7FC0u));
    }

    /// <summary>eˣ within about one unit in the last place for x in [−87, 88] (below: e⁻⁸⁷, about 1.6·10⁻³⁸; the callers
    /// zero masked entries themselves). .NET's <c>Vector512.Exp</c> computes in double precision, which made the softmax
    /// cost as much as the products around it; this is the usual float32 method: eˣ = 2ⁿ·eʳ with n = round(x/ln 2),
    /// r = x − n·ln 2 in two parts (Cody and Waite) so |r| ≤ ln 2 / 2, and eʳ by its Taylor polynomial to r⁶ (remainder
    /// under 1.3·10⁻⁷ relative).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-87f)), Vector512.Create(88f));
        var n = Vector512.Round(x * Vector512.Create(1.44269504088896341f));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), x);           // ln 2's leading bits: n·hi exact
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.12194440e-4f), r);              // and the rest
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(1f / 720), r, Vector512.Create(1f / 120));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 24));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        var twoToN = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
        return p * twoToN;
    }

    /// <summary>As <see cref="Exp(Vector512{float})"/> in the platform's vectors (the same steps and constants).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<float> Exp(Vector<float> x)
    {
        x = Vector.Min(Vector.Max(x, new Vector<float>(-87f)), new Vector<float>(88f));
        var n = Vector.Round(x * new Vector<float>(1.44269504088896341f));
        var r = Vector.FusedMultiplyAdd(n, new Vector<float>(-0.693359375f), x);
        r = Vector.FusedMultiplyAdd(n, new Vector<float>(2.12194440e-4f), r);
        var p = Vector.FusedMultiplyAdd(new Vector<float>(1f / 720), r, new Vector<float>(1f / 120));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 24));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 6));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(0.5f));
        p = Vector.FusedMultiplyAdd(p, r, Vector<float>.One);
        p = Vector.FusedMultiplyAdd(p, r, Vector<float>.One);
        var twoToN = Vector.AsVectorSingle(Vector.ShiftLeft(Vector.ConvertToInt32(n) + new Vector<int>(127), 23));
        return p * twoToN;
    }

    /// <summary>A row of 64 scores turned into exp(score − m) in place, m being the larger of
    /// <paramref name="previousMax"/> and the row's maximum; returns m and the row's new sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (float Max, float Sum) ExpRow(float* row, float previousMax)
    {
        if (Wide)
        {
            Vector512<float> x0 = Vector512.Load(row), x1 = Vector512.Load(row + 16), x2 = Vector512.Load(row + 32), x3 = Vector512.Load(row + 48);
            var newMax = MathF.Max(previousMax, HorizontalMax(Vector512.Max(Vector512.Max(x0, x1), Vector512.Max(x2, x3))));
            var m = Vector512.Create(newMax);
            x0 = Exp(x0 - m); x1 = Exp(x1 - m); x2 = Exp(x2 - m); x3 = Exp(x3 - m);
            x0.Store(row); x1.Store(row + 16); x2.Store(row + 32); x3.Store(row + 48);
            return (newMax, Vector512.Sum((x0 + x1) + (x2 + x3)));
        }
        var w = Vector<float>.Count;
        var most = Vector.Load(row);
        for (var e = w; e < TileSize; e += w) most = Vector.Max(most, Vector.Load(row + e));
        var top = previousMax;
        for (var e = 0; e < w; e++) top = MathF.Max(top, most[e]);
        var shift = new Vector<float>(top);
        var sum = Vector<float>.Zero;
        for (var e = 0; e < TileSize; e += w)
        {
            var x = Exp(Vector.Load(row + e) - shift);
            x.Store(row + e);
            sum += x;
        }
        return (top, Vector.Sum(sum));
    }

    /// <summary>A row of 64 scores turned into exp(score − <paramref name="shift"/>) in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExpShifted(float* row, float shift)
    {
        if (Wide)
        {
            var l = Vector512.Create(shift);
            for (var e = 0; e < TileSize; e += 16) Exp(Vector512.Load(row + e) - l).Store(row + e);
            return;
        }
        var by = new Vector<float>(shift);
        for (var e = 0; e < TileSize; e += Vector<float>.Count) Exp(Vector.Load(row + e) - by).Store(row + e);
    }

    /// <summary>A row of the scores' gradient from the probabilities' and the row's D: dS = P ∘ (dP − D), written over
    /// dP.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScoresGradient(float* probabilities, float* gradient, float delta)
    {
        if (Wide)
        {
            var dr = Vector512.Create(delta);
            for (var e = 0; e < TileSize; e += 16) (Vector512.Load(probabilities + e) * (Vector512.Load(gradient + e) - dr)).Store(gradient + e);
            return;
        }
        var dn = new Vector<float>(delta);
        for (var e = 0; e < TileSize; e += Vector<float>.Count) (Vector.Load(probabilities + e) * (Vector.Load(gradient + e) - dn)).Store(gradient + e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalMax(Vector512<float> x)
    {
        var half = Vector256.Max(x.GetLower(), x.GetUpper());
        var quarter = Vector128.Max(half.GetLower(), half.GetUpper());
        return MathF.Max(MathF.Max(quarter[0], quarter[1]), MathF.Max(quarter[2], quarter[3]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scale(float* row, int d, float factor)
    {
        if (Wide)
            for (var e = 0; e < d; e += 16) (Vector512.Load(row + e) * factor).Store(row + e);
        else
            for (var e = 0; e < d; e += Vector<float>.Count) (Vector.Load(row + e) * factor).Store(row + e);
    }

    /// <summary>C (64 × <paramref name="width"/>) = or += A (64 × k) · B (k × width), width 32 or 64: the 512-bit kernel
    /// for the width, or the narrow one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Product(float* a, int rowStride, int columnStride, float* b, int ldb, float* c, int ldc, int k, int width, bool accumulate)
    {
        if (!Wide) TileNarrow(a, rowStride, columnStride, b, ldb, c, ldc, k, width, accumulate);
        else if (width == 64) Tile64(a, rowStride, columnStride, b, ldb, c, ldc, k, accumulate);
        else Tile32(a, rowStride, columnStride, b, ldb, c, ldc, k, accumulate);
    }

    /// <summary>As <see cref="Tile64"/> in the platform's vectors of W floats, for a C <paramref name="width"/> wide (a
    /// multiple of 2W): four rows by two vectors at a time in eight accumulators; each step of p loads two vectors of B
    /// and broadcasts four elements of A for eight fused multiply-adds. Column blocks outside, so a block of B (k × 2W)
    /// is read by all sixteen row groups while it is in the first-level cache. (Six rows in twelve accumulators measured
    /// no faster on two threads and slower on one.)</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void TileNarrow(float* a, int rowStride, int columnStride, float* b, int ldb, float* c, int ldc, int k, int width, bool accumulate)
    {
        var w = Vector<float>.Count;
        for (var column = 0; column < width; column += 2 * w)
            for (var r = 0; r < TileSize; r += 4)
            {
                float* c0 = c + r * ldc + column, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
                Vector<float> s00, s01, s10, s11, s20, s21, s30, s31;
                if (accumulate)
                {
                    s00 = Vector.Load(c0); s01 = Vector.Load(c0 + w); s10 = Vector.Load(c1); s11 = Vector.Load(c1 + w);
                    s20 = Vector.Load(c2); s21 = Vector.Load(c2 + w); s30 = Vector.Load(c3); s31 = Vector.Load(c3 + w);
                }
                else
                {
                    s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = Vector<float>.Zero;
                }
                // The four rows of A through one offset, so that a step costs two additions besides its loads.
                float* a0 = a + r * rowStride, a1 = a0 + rowStride, a2 = a1 + rowStride, a3 = a2 + rowStride, bp = b + column;
                nint offset = 0, step = columnStride, next = ldb;
                for (var p = 0; p < k; p++, offset += step, bp += next)
                {
                    Vector<float> b0 = Vector.Load(bp), b1 = Vector.Load(bp + w);
                    var x = new Vector<float>(a0[offset]); s00 = Vector.FusedMultiplyAdd(x, b0, s00); s01 = Vector.FusedMultiplyAdd(x, b1, s01);
                    x = new Vector<float>(a1[offset]); s10 = Vector.FusedMultiplyAdd(x, b0, s10); s11 = Vector.FusedMultiplyAdd(x, b1, s11);
                    x = new Vector<float>(a2[offset]); s20 = Vector.FusedMultiplyAdd(x, b0, s20); s21 = Vector.FusedMultiplyAdd(x, b1, s21);
                    x = new Vector<float>(a3[offset]); s30 = Vector.FusedMultiplyAdd(x, b0, s30); s31 = Vector.FusedMultiplyAdd(x, b1, s31);
                }
                s00.Store(c0); s01.Store(c0 + w); s10.Store(c1); s11.Store(c1 + w);
                s20.Store(c2); s21.Store(c2 + w); s30.Store(c3); s31.Store(c3 + w);
            }
    }

    /// <summary>C (64 × 64) = or += A (64 × k) · B (k × 64); A's element (r, p) at a[r·rowStride + p·columnStride], so
    /// a transposed A costs nothing. Four rows at a time in sixteen 512-bit accumulators: each step of p loads four
    /// vectors of B and broadcasts four elements of A for sixteen fused multiply-adds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tile64(float* a, int rowStride, int columnStride, float* b, int ldb, float* c, int ldc, int k, bool accumulate)
    {
        for (var r = 0; r < TileSize; r += 4)
        {
            float* c0 = c + r * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
            Vector512<float> c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
            if (accumulate)
            {
                c00 = Vector512.Load(c0); c01 = Vector512.Load(c0 + 16); c02 = Vector512.Load(c0 + 32); c03 = Vector512.Load(c0 + 48);
                c10 = Vector512.Load(c1); c11 = Vector512.Load(c1 + 16); c12 = Vector512.Load(c1 + 32); c13 = Vector512.Load(c1 + 48);
                c20 = Vector512.Load(c2); c21 = Vector512.Load(c2 + 16); c22 = Vector512.Load(c2 + 32); c23 = Vector512.Load(c2 + 48);
                c30 = Vector512.Load(c3); c31 = Vector512.Load(c3 + 16); c32 = Vector512.Load(c3 + 32); c33 = Vector512.Load(c3 + 48);
            }
            else
            {
                c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = Vector512<float>.Zero;
            }
            float* ap = a + r * rowStride, bp = b;
            for (var p = 0; p < k; p++, ap += columnStride, bp += ldb)
            {
                Vector512<float> b0 = Vector512.Load(bp), b1 = Vector512.Load(bp + 16), b2 = Vector512.Load(bp + 32), b3 = Vector512.Load(bp + 48);
                var x = Vector512.Create(ap[0]);
                c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
                c02 = Vector512.FusedMultiplyAdd(x, b2, c02); c03 = Vector512.FusedMultiplyAdd(x, b3, c03);
                x = Vector512.Create(ap[rowStride]);
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
                c12 = Vector512.FusedMultiplyAdd(x, b2, c12); c13 = Vector512.FusedMultiplyAdd(x, b3, c13);
                x = Vector512.Create(ap[2 * rowStride]);
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
                c22 = Vector512.FusedMultiplyAdd(x, b2, c22); c23 = Vector512.FusedMultiplyAdd(x, b3, c23);
                x = Vector512.Create(ap[3 * rowStride]);
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
                c32 = Vector512.FusedMultiplyAdd(x, b2, c32); c33 = Vector512.FusedMultiplyAdd(x, b3, c33);
            }
            c00.Store(c0); c01.Store(c0 + 16); c02.Store(c0 + 32); c03.Store(c0 + 48);
            c10.Store(c1); c11.Store(c1 + 16); c12.Store(c1 + 32); c13.Store(c1 + 48);
            c20.Store(c2); c21.Store(c2 + 16); c22.Store(c2 + 32); c23.Store(c2 + 48);
            c30.Store(c3); c31.Store(c3 + 16); c32.Store(c3 + 32); c33.Store(c3 + 48);
        }
    }

    /// <summary>As <see cref="Tile64"/> for a C 32 wide: eight rows at a time, two vectors each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tile32(float* a, int rowStride, int columnStride, float* b, int ldb, float* c, int ldc, int k, bool accumulate)
    {
        for (var r = 0; r < TileSize; r += 8)
        {
            float* c0 = c + r * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc, c7 = c6 + ldc;
            Vector512<float> s00, s01, s10, s11, s20, s21, s30, s31, s40, s41, s50, s51, s60, s61, s70, s71;
            if (accumulate)
            {
                s00 = Vector512.Load(c0); s01 = Vector512.Load(c0 + 16); s10 = Vector512.Load(c1); s11 = Vector512.Load(c1 + 16);
                s20 = Vector512.Load(c2); s21 = Vector512.Load(c2 + 16); s30 = Vector512.Load(c3); s31 = Vector512.Load(c3 + 16);
                s40 = Vector512.Load(c4); s41 = Vector512.Load(c4 + 16); s50 = Vector512.Load(c5); s51 = Vector512.Load(c5 + 16);
                s60 = Vector512.Load(c6); s61 = Vector512.Load(c6 + 16); s70 = Vector512.Load(c7); s71 = Vector512.Load(c7 + 16);
            }
            else
            {
                s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = s40 = s41 = s50 = s51 = s60 = s61 = s70 = s71 = Vector512<float>.Zero;
            }
            float* ap = a + r * rowStride, bp = b;
            for (var p = 0; p < k; p++, ap += columnStride, bp += ldb)
            {
                Vector512<float> b0 = Vector512.Load(bp), b1 = Vector512.Load(bp + 16);
                var x = Vector512.Create(ap[0]); s00 = Vector512.FusedMultiplyAdd(x, b0, s00); s01 = Vector512.FusedMultiplyAdd(x, b1, s01);
                x = Vector512.Create(ap[rowStride]); s10 = Vector512.FusedMultiplyAdd(x, b0, s10); s11 = Vector512.FusedMultiplyAdd(x, b1, s11);
                x = Vector512.Create(ap[2 * rowStride]); s20 = Vector512.FusedMultiplyAdd(x, b0, s20); s21 = Vector512.FusedMultiplyAdd(x, b1, s21);
                x = Vector512.Create(ap[3 * rowStride]); s30 = Vector512.FusedMultiplyAdd(x, b0, s30); s31 = Vector512.FusedMultiplyAdd(x, b1, s31);
                x = Vector512.Create(ap[4 * rowStride]); s40 = Vector512.FusedMultiplyAdd(x, b0, s40); s41 = Vector512.FusedMultiplyAdd(x, b1, s41);
                x = Vector512.Create(ap[5 * rowStride]); s50 = Vector512.FusedMultiplyAdd(x, b0, s50); s51 = Vector512.FusedMultiplyAdd(x, b1, s51);
                x = Vector512.Create(ap[6 * rowStride]); s60 = Vector512.FusedMultiplyAdd(x, b0, s60); s61 = Vector512.FusedMultiplyAdd(x, b1, s61);
                x = Vector512.Create(ap[7 * rowStride]); s70 = Vector512.FusedMultiplyAdd(x, b0, s70); s71 = Vector512.FusedMultiplyAdd(x, b1, s71);
            }
            s00.Store(c0); s01.Store(c0 + 16); s10.Store(c1); s11.Store(c1 + 16); s20.Store(c2); s21.Store(c2 + 16); s30.Store(c3); s31.Store(c3 + 16);
            s40.Store(c4); s41.Store(c4 + 16); s50.Store(c5); s51.Store(c5 + 16); s60.Store(c6); s61.Store(c6 + 16); s70.Store(c7); s71.Store(c7 + 16);
        }
    }
}
