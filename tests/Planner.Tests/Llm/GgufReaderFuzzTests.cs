using CsCheck;
using Planner.Llm;
using Xunit.Abstractions;

namespace Planner.Tests.Llm;

/// <summary>Fuzzing the GGUF reader: generated well-formed files, then the same files with bytes flipped, fields
/// overwritten with edge values (0, -1, 2^62, long.MaxValue, the array type), cut short or spliced. The reader may
/// only ever return a header or throw <see cref="InvalidDataException"/>: never a stack overflow, an out-of-memory,
/// an index, overflow or argument exception.</summary>
[Trait("Category", "Fuzz")]
public sealed class GgufReaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    private static readonly long[] EdgeValues = [0, 1, -1, 9, 8, 31, 33, 255, int.MaxValue, uint.MaxValue, 1L << 32, 1L << 40, 1L << 62, long.MaxValue, long.MinValue];

    private readonly TempFolder folder = new("gguf-fuzz");

    public void Dispose() => folder.Dispose();

    private static readonly Gen<GgufBytes.Value> Scalar = Gen.OneOf(
        Gen.UInt.Select(GgufBytes.U32),
        Gen.Int.Select(GgufBytes.I32),
        Gen.Long.Select(GgufBytes.I64),
        Gen.String[Gen.Char.AlphaNumeric, 0, 12].Select(GgufBytes.Str),
        Gen.Int[0, 6].Select(n => GgufBytes.Array(8, n, w => { for (var i = 0; i < n; i++) GgufBytes.WriteString(w, $"t{i}"); })),
        Gen.Int[0, 6].Select(n => GgufBytes.Array(5, n, w => { for (var i = 0; i < n; i++) w.Write(i); })));

    private static readonly Gen<long[]> Dims = Gen.Int[1, 4].SelectMany(n => Gen.Long[1, 6].Array[n]);

    /// <summary>A well-formed GGUF: gpt2 with a valid context, a few metadata entries of every kind, a few tensors.</summary>
    private static readonly Gen<byte[]> WellFormed =
        Gen.Select(Gen.Long[16, 4096], Scalar.Array[0, 6], Gen.Select(Dims, Gen.OneOf(0u, 1u, 8u)).Array[0, 4], Gen.OneOf(8L, 32L, 64L),
            (context, values, tensors, alignment) =>
            {
                var file = new GgufBytes { Alignment = alignment }.With("general.architecture", GgufBytes.Str("gpt2")).With("gpt2.context_length", GgufBytes.U32((uint)context));
                if (alignment != 32) file.With("general.alignment", GgufBytes.U32((uint)alignment));
                for (var i = 0; i < values.Length; i++) file.With($"general.k{i}", values[i]);
                for (var i = 0; i < tensors.Length; i++)
                {
                    var (dims, type) = tensors[i];
                    if (type == 8) dims = [dims[0] * 32, .. dims[1..]];
                    file.WithTensor($"blk.{i}.w", dims, type);
                }
                return file.Build();
            });

    /// <summary>One change to a file's bytes: a flipped byte, an edge value over 4 or 8 bytes, a cut, or a copy of one
    /// stretch over another.</summary>
    private static readonly Gen<Func<byte[], byte[]>> Mutation = Gen.OneOf(
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte, (at, b) => (Func<byte[], byte[]>)(f => { var c = (byte[])f.Clone(); c[at % c.Length] = b; return c; })),
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.OneOf(EdgeValues), Gen.Bool, (at, v, wide) => (Func<byte[], byte[]>)(f =>
        {
            var c = (byte[])f.Clone();
            var bytes = wide ? BitConverter.GetBytes(v) : BitConverter.GetBytes((uint)v);
            var start = at % Math.Max(1, c.Length - bytes.Length);
            bytes.AsSpan(0, Math.Min(bytes.Length, c.Length - start)).CopyTo(c.AsSpan(start));
            return c;
        })),
        Gen.Int[0, int.MaxValue].Select(at => (Func<byte[], byte[]>)(f => f[..(at % f.Length)])),
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[1, 64], (from, to, n) => (Func<byte[], byte[]>)(f =>
        {
            var c = (byte[])f.Clone();
            var (a, b) = (from % c.Length, to % c.Length);
            var length = Math.Min(n, Math.Min(c.Length - a, c.Length - b));
            f.AsSpan(a, length).CopyTo(c.AsSpan(b));
            return c;
        })));

    private GgufInfo? ReadOrRefuse(byte[] bytes)
    {
        var path = folder.File($"{Guid.NewGuid():N}.gguf");
        File.WriteAllBytes(path, bytes);
        try
        {
            return GgufReader.Read(path);
        }
        catch (InvalidDataException)
        {
            return null; // the documented "bad file" refusal
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Every_generated_well_formed_file_is_read() =>
        WellFormed.Sample(bytes => Assert.NotNull(ReadOrRefuse(bytes)), writeLine: output.WriteLine, time: FuzzBudget.Seconds, threads: FuzzBudget.Threads);

    [Fact]
    public void A_mutated_file_is_read_or_refused_as_a_bad_file_and_nothing_else() =>
        Gen.Select(WellFormed, Mutation.Array[1, 4]).Sample((bytes, mutations) =>
        {
            var mutated = mutations.Aggregate(bytes, (b, m) => b.Length == 0 ? b : m(b));
            if (ReadOrRefuse(mutated) is { } info)
                Assert.True(info.Parameters >= 0 && info.ContextLength is null or >= GgufReader.MinContextLength and <= GgufReader.MaxContextLength);
        }, writeLine: output.WriteLine, time: FuzzBudget.Seconds, threads: FuzzBudget.Threads);
}
