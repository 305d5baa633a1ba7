using System.Text.Json;

namespace Planner.Engine.Training;

/// <summary>A safetensors file's header (8-byte little-endian length, then JSON naming each tensor's dtype, shape and
/// byte range), read and checked against the file without loading any weights: the one safetensors reader, for
/// checkpoints, Hugging Face imports and "which model is this" alike. A missing, truncated or corrupted file, or one
/// whose shapes and offsets disagree, throws a <see cref="CheckpointException"/> saying so.</summary>
public sealed record SafetensorsHeader(IReadOnlyDictionary<string, long[]> Shapes)
{
    /// <summary>A header names every tensor in a few dozen bytes each; a larger one is not read into memory.</summary>
    private const long MaxHeaderBytes = 100L << 20;

    private static readonly Dictionary<string, int> DtypeBytes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    public static SafetensorsHeader Read(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"{path} does not exist.");
        var length = new FileInfo(path).Length;
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> prefix = stackalloc byte[8];
            if (stream.Read(prefix) != 8) throw new CheckpointException($"{path} is truncated: {length} bytes, shorter than a safetensors header.");
            var headerLength = BitConverter.ToInt64(prefix);
            if (headerLength <= 0 || headerLength > length - 8)
                throw new CheckpointException($"{path} is truncated or not a safetensors file (header claims {headerLength} bytes; the file has {length}).");
            if (headerLength > MaxHeaderBytes)
                throw new CheckpointException($"{path} is not a safetensors file this reader takes: its header claims {headerLength} bytes (at most {MaxHeaderBytes} are read).");
            var header = new byte[headerLength];
            stream.ReadExactly(header);
            using var document = JsonDocument.Parse(header.AsMemory().TrimEnd((byte)' '));
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new CheckpointException($"{path} is not a safetensors file: its header is not a JSON object.");
            long end = 0;
            var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                var (shape, entryEnd) = Checked(path, entry);
                shapes[entry.Name] = shape;
                end = Math.Max(end, entryEnd);
            }
            if (8 + headerLength + end > length)
                throw new CheckpointException($"{path} is truncated: its tensors need {8 + headerLength + end} bytes, the file has {length}.");
            return new SafetensorsHeader(shapes);
        }
        catch (CheckpointException) { throw; }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException or KeyNotFoundException or ArgumentException or FormatException or IndexOutOfRangeException)
        {
            throw new CheckpointException($"{path} is corrupted: {e.Message}", e);
        }
    }

    /// <summary>One tensor's shape and where its bytes end, after checking that its dtype, shape and offsets agree.</summary>
    private static (long[] Shape, long End) Checked(string path, JsonProperty entry)
    {
        var dtype = entry.Value.GetProperty("dtype").GetString() ?? "";
        if (!DtypeBytes.TryGetValue(dtype, out var size))
            throw new CheckpointException($"{path} is corrupted: tensor '{entry.Name}' has the unknown dtype '{dtype}'.");
        var offsets = entry.Value.GetProperty("data_offsets");
        if (offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw new CheckpointException($"{path} is corrupted: tensor '{entry.Name}' does not give its data offsets as a pair.");
        var (begin, end) = (offsets[0].GetInt64(), offsets[1].GetInt64());
        try
        {
            long bytes = size;
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            foreach (var n in shape)
            {
                if (n < 0) throw new OverflowException();
                bytes = checked(bytes * n);
            }
            if (begin < 0 || end < begin || end - begin != bytes)
                throw new CheckpointException($"{path} is corrupted: tensor '{entry.Name}' declares {bytes} bytes but offsets {begin}..{end}.");
            return (shape, end);
        }
        catch (OverflowException)
        {
            throw new CheckpointException($"{path} is corrupted: tensor '{entry.Name}' has an impossible shape.");
        }
    }
}
