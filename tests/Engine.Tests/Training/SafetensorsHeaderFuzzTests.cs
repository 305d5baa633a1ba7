using System.Globalization;
using System.Text;
using CsCheck;
using Planner.Engine.Training;
using Xunit.Abstractions;

namespace Planner.Engine.Tests.Training;

/// <summary>Fuzzing the safetensors header reader: generated headers whose tensors tile their data, then the same
/// headers with offsets, shapes, dtypes and lengths replaced by edge values, tensors duplicated or dropped, bytes flipped
/// and the file cut. The reader may only ever return a header or throw <see cref="CheckpointException"/>; whatever it
/// returns tiles the data exactly.</summary>
[Trait("Category", "Fuzz")]
public sealed class SafetensorsHeaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Dtypes = ["F32", "F16", "BF16", "I64", "U8", "BOOL", "F64"];
    private static readonly Dictionary<string, int> Width = new() { ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["U8"] = 1, ["BOOL"] = 1, ["F64"] = 8 };
    private static readonly string[] EdgeNumbers = ["0", "1", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "4611686018427387904", "18446744073709551615", "1e3", "2.5", "\"8\"", "null", "[]"];

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>A tensor: its dtype and shape; offsets are assigned when the header is written.</summary>
    private sealed record Tensor(string Dtype, long[] Shape);

    private static readonly Gen<Tensor[]> Tensors =
        Gen.Select(Gen.OneOf(Dtypes), Gen.Long[0, 5].Array[0, 3], (d, s) => new Tensor(d, s)).Array[0, 5];

    /// <summary>The header's JSON, with each number of the offsets and shapes as text so a mutation can replace it.</summary>
    private static (List<string> Parts, long DataBytes) Layout(Tensor[] tensors)
    {
        var parts = new List<string>();
        long at = 0;
        for (var i = 0; i < tensors.Length; i++)
        {
            var bytes = tensors[i].Shape.Aggregate((long)Width[tensors[i].Dtype], (a, n) => a * n);
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"\"t{i}\":{{\"dtype\":\"{tensors[i].Dtype}\",\"shape\":[{string.Join(",", tensors[i].Shape)}],\"data_offsets\":[{at},{at + bytes}]}}"));
            at += bytes;
        }
        parts.Add("\"__metadata__\":{\"format\":\"pt\"}");
        return (parts, at);
    }

    private static byte[] File(string json, long dataBytes, long? declaredLength = null)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        return [.. BitConverter.GetBytes(declaredLength ?? bytes.Length), .. bytes, .. new byte[dataBytes]];
    }

    /// <summary>One change to a header: a number swapped for an edge value, a part duplicated or dropped, a byte of the
    /// file flipped, the file cut, or the declared length changed.</summary>
    private static readonly Gen<Func<(List<string> Parts, long DataBytes), byte[]>> Mutation = Gen.OneOf(
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.OneOf(EdgeNumbers), (part, number, edge) =>
            (Func<(List<string> Parts, long DataBytes), byte[]>)(h =>
            {
                var parts = h.Parts.ToList();
                var p = part % parts.Count;
                var numbers = System.Text.RegularExpressions.Regex.Matches(parts[p], "-?[0-9]+");
                if (numbers.Count > 0)
                {
                    var m = numbers[number % numbers.Count];
                    parts[p] = parts[p][..m.Index] + edge + parts[p][(m.Index + m.Length)..];
                }
                return File("{" + string.Join(",", parts) + "}", h.DataBytes);
            })),
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Bool, (part, drop) => (Func<(List<string> Parts, long DataBytes), byte[]>)(h =>
        {
            var parts = h.Parts.ToList();
            var p = part % parts.Count;
            if (drop) parts.RemoveAt(p);
            else parts.Insert(p, parts[p]);
            return File("{" + string.Join(",", parts) + "}", h.DataBytes);
        })),
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte, (at, b) => (Func<(List<string> Parts, long DataBytes), byte[]>)(h =>
        {
            var f = File("{" + string.Join(",", h.Parts) + "}", h.DataBytes);
            f[at % f.Length] = b;
            return f;
        })),
        Gen.Int[0, int.MaxValue].Select(at => (Func<(List<string> Parts, long DataBytes), byte[]>)(h =>
        {
            var f = File("{" + string.Join(",", h.Parts) + "}", h.DataBytes);
            return f[..(at % f.Length)];
        })),
        Gen.OneOf(0L, -1L, 1L << 62, long.MaxValue, 100_000_001L, 7L).Select(length => (Func<(List<string> Parts, long DataBytes), byte[]>)(h =>
            File("{" + string.Join(",", h.Parts) + "}", h.DataBytes, length))));

    private SafetensorsHeader? ReadOrRefuse(byte[] bytes)
    {
        var path = folder.File($"{Guid.NewGuid():N}.safetensors");
        System.IO.File.WriteAllBytes(path, bytes);
        try
        {
            return SafetensorsHeader.Read(path);
        }
        catch (CheckpointException)
        {
            return null; // the documented "bad file" refusal
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void Every_generated_header_whose_tensors_tile_the_data_is_read() =>
        Tensors.Sample(tensors =>
        {
            var (parts, data) = Layout(tensors);
            Assert.Equal(tensors.Length, ReadOrRefuse(File("{" + string.Join(",", parts) + "}", data))!.Shapes.Count);
        }, writeLine: output.WriteLine, time: FuzzBudget.Seconds, threads: FuzzBudget.Threads);

    [Fact]
    public void A_mutated_header_is_read_or_refused_as_a_bad_file_and_nothing_else() =>
        Gen.Select(Tensors, Mutation).Sample((tensors, mutation) =>
        {
            var layout = Layout(tensors);
            var bytes = mutation(layout);
            if (ReadOrRefuse(bytes) is not { } header) return;
            // Whatever is accepted holds exactly the bytes it declares: no hole, no overlap, nothing past the end.
            var declared = header.Shapes.Sum(s => s.Value.Aggregate(1L, (a, n) => a * n));
            Assert.True(declared >= 0 && declared <= bytes.Length);
        }, writeLine: output.WriteLine, time: FuzzBudget.Seconds, threads: FuzzBudget.Threads);
}
