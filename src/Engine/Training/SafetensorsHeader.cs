using System.Text.Json;

namespace Planner.Engine.Training;

/// <summary>A safetensors file's header (8-byte little-endian length, then JSON naming each tensor's dtype, shape and
/// byte range), read and checked against the file without loading any weights: the one safetensors reader, for
/// checkpoints, Hugging Face imports and "which model is this" alike. It holds files to the reference implementation's
/// rules: a header of at most 100 MB that is a JSON object; each tensor's [begin, end) with begin ≤ end and exactly
/// numel × dtype size bytes (computed checked); the tensors, in offset order, tile the data section from 0 to its
/// last byte with no hole and no overlap. A missing, truncated or corrupted file throws a <see cref="CheckpointException"/>
/// saying so.</summary>
public sealed record SafetensorsHeader(IReadOnlyDictionary<string, long[]> Shapes)
{
    /// <summary>The reference implementation's limit (MAX_HEADER_SIZE): a header names every tensor in a few dozen bytes
    /// each, so a larger one is not read into memory.</summary>
    private const long MaxHeaderBytes = 100_000_000;

    private static readonly Dictionary<string, int> DtypeBytes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>One tensor's entry, checked on its own.</summary>
    private sealed record Entry(string Name, long[] Shape, long Begin, long End);

    public static SafetensorsHeader Read(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"{path} does not exist.");
        var length = new FileInfo(path).Length;
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> prefix = stackalloc byte[8];
            if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) != 8) throw new CheckpointException($"{path} is truncated: {length} bytes, shorter than a safetensors header.");
            var headerLength = BitConverter.ToInt64(prefix);
            if (headerLength <= 0 || headerLength > length - 8)
                throw new CheckpointException($"{path} is truncated or not a safetensors file (header claims {headerLength} bytes; the file has {length}).");
            if (headerLength > MaxHeaderBytes)
                throw new CheckpointException($"{path} is not a safetensors file this reader takes: its header claims {headerLength} bytes (at most {MaxHeaderBytes} are read).");
            var header = new byte[headerLength];
            stream.ReadExactly(header);
            using var document = JsonDocument.Parse(header.AsMemory().TrimEnd((byte)' '));
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new CheckpointException($"{path} is not a safetensors file: its header is not a JSON object.");
            var entries = new List<Entry>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name)) throw new CheckpointException($"{path} is corrupted: it names '{property.Name}' twice.");
                if (property.Name != "__metadata__") entries.Add(Checked(path, property));
            }
            CheckTiling(path, entries, dataStart: 8 + headerLength, fileLength: length);
            return new SafetensorsHeader(entries.ToDictionary(e => e.Name, e => e.Shape, StringComparer.Ordinal));
        }
        catch (CheckpointException) { throw; }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException or ArgumentException)
        {
            throw new CheckpointException($"{path} is corrupted: {e.Message}", e);
        }
    }

    /// <summary>In offset order, each tensor begins where the one before ends, the first at 0, the last at the end of
    /// the data: bytes that belong to two tensors, or to none, mean the file is not what its header says.</summary>
    private static void CheckTiling(string path, List<Entry> entries, long dataStart, long fileLength)
    {
        var dataBytes = fileLength - dataStart;
        long expected = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin < expected)
                throw new CheckpointException($"{path} is corrupted: tensor '{entry.Name}' (bytes {entry.Begin}..{entry.End}) overlaps the tensor before it.");
            if (entry.Begin > expected)
                throw new CheckpointException($"{path} is corrupted: tensor '{entry.Name}' starts at byte {entry.Begin}, leaving bytes {expected}..{entry.Begin} to no tensor.");
            expected = entry.End;
        }
        if (expected > dataBytes)
            throw new CheckpointException($"{path} is truncated: its tensors need {(decimal)dataStart + expected} bytes, the file has {fileLength}.");
        if (expected < dataBytes)
            throw new CheckpointException($"{path} is corrupted: its last {dataBytes - expected} bytes belong to no tensor.");
    }

    /// <summary>One tensor's shape and byte range, after checking that its dtype, shape and offsets agree.</summary>
    private static Entry Checked(string path, JsonProperty entry)
    {
        var corrupt = $"{path} is corrupted: tensor '{entry.Name}'";
        if (entry.Value.ValueKind != JsonValueKind.Object
            || !entry.Value.TryGetProperty("dtype", out var dtypeValue) || dtypeValue.ValueKind != JsonValueKind.String
            || !entry.Value.TryGetProperty("shape", out var shapeValue) || shapeValue.ValueKind != JsonValueKind.Array)
            throw new CheckpointException($"{corrupt} does not give its dtype and shape.");
        var dtype = dtypeValue.GetString()!;
        if (!DtypeBytes.TryGetValue(dtype, out var size))
            throw new CheckpointException($"{corrupt} has the unknown dtype '{dtype}'.");
        if (!entry.Value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw new CheckpointException($"{corrupt} does not give its data offsets as a pair.");
        if (!WholeNumber(offsets[0], out var begin) || !WholeNumber(offsets[1], out var end) || begin < 0)
            throw new CheckpointException($"{corrupt} has data offsets that are not byte positions.");
        if (end < begin) throw new CheckpointException($"{corrupt} has data offsets that run backwards ({begin}..{end}).");
        var shape = new long[shapeValue.GetArrayLength()];
        long bytes = size;
        for (var i = 0; i < shape.Length; i++)
        {
            // checked: a shape whose product passes 2^63 must not wrap round into a small, plausible size.
            if (!WholeNumber(shapeValue[i], out shape[i]) || shape[i] < 0 || shape[i] != 0 && bytes > long.MaxValue / shape[i])
                throw new CheckpointException($"{corrupt} has an impossible shape.");
            bytes *= shape[i];
        }
        if (end - begin != bytes)
            throw new CheckpointException($"{corrupt} declares {bytes} bytes but offsets {begin}..{end}.");
        return new Entry(entry.Name, shape, begin, end);
    }

    private static bool WholeNumber(JsonElement value, out long number)
    {
        number = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out number);
    }
}
