using System.Buffers.Binary;
using System.Text;

namespace Planner.Engine.Export;

/// <summary>Writes GGUF v3 files (little-endian): header, metadata key/values, tensor infos, then tensor data aligned to
/// 32 bytes. Tensor dims are given in ggml order (ne[0] innermost), i.e. a row-major torch shape reversed. The file is
/// written to a temp name and renamed into place, so a failed export never leaves a half-written model behind.</summary>
public sealed class GgufWriter
{
    public const uint Magic = 0x46554747; // "GGUF"
    public const uint Version = 3;
    public const int Alignment = 32;
    public const int Q8BlockSize = 32;

    private enum ValueType : uint { UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7, String = 8, Array = 9 }

    private sealed record TensorEntry(string Name, ulong[] Dimensions, GgufDataType Type, float[] Data);

    private readonly List<Action<BinaryWriter>> metadata = [];
    private readonly List<TensorEntry> tensors = [];

    public void AddString(string key, string value) => metadata.Add(w => { WriteString(w, key); w.Write((uint)ValueType.String); WriteString(w, value); });
    public void AddUInt32(string key, uint value) => metadata.Add(w => { WriteString(w, key); w.Write((uint)ValueType.UInt32); w.Write(value); });
    public void AddFloat32(string key, float value) => metadata.Add(w => { WriteString(w, key); w.Write((uint)ValueType.Float32); w.Write(value); });
    public void AddBool(string key, bool value) => metadata.Add(w => { WriteString(w, key); w.Write((uint)ValueType.Bool); w.Write((byte)(value ? 1 : 0)); });

    public void AddStringArray(string key, IReadOnlyList<string> values) => metadata.Add(w =>
    {
        WriteString(w, key);
        w.Write((uint)ValueType.Array);
        w.Write((uint)ValueType.String);
        w.Write((ulong)values.Count);
        foreach (var v in values) WriteString(w, v);
    });

    public void AddInt32Array(string key, IReadOnlyList<int> values) => metadata.Add(w =>
    {
        WriteString(w, key);
        w.Write((uint)ValueType.Array);
        w.Write((uint)ValueType.Int32);
        w.Write((ulong)values.Count);
        foreach (var v in values) w.Write(v);
    });

    /// <param name="torchShape">The row-major shape, e.g. a Linear weight's [out, in]; written reversed as ggml's ne.</param>
    public void AddTensor(string name, long[] torchShape, GgufDataType type, float[] data)
    {
        if (data.LongLength != torchShape.Aggregate(1L, (a, b) => a * b))
            throw new ArgumentException($"Tensor {name}: {data.Length} values do not fill shape [{string.Join(", ", torchShape)}].");
        if (type == GgufDataType.Q8_0 && torchShape[^1] % Q8BlockSize != 0)
            throw new ArgumentException($"Tensor {name}: Q8_0 needs rows that are a multiple of {Q8BlockSize} wide, not {torchShape[^1]}.");
        tensors.Add(new TensorEntry(name, [.. torchShape.Reverse().Select(d => (ulong)d)], type, data));
    }

    public static long ByteSize(GgufDataType type, long elements) => type switch
    {
        GgufDataType.F32 => elements * 4,
        GgufDataType.F16 => elements * 2,
        GgufDataType.Q8_0 => elements / Q8BlockSize * (2 + Q8BlockSize),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Writes the file atomically: a temp file beside it (not named *.gguf, so no registry offers it), flushed
    /// to disk, then renamed over <paramref name="path"/>. Temp files left by a killed export of the same path are
    /// removed first (one export per target at a time).</summary>
    public void Write(string path)
    {
        var full = Path.GetFullPath(path);
        foreach (var stale in Directory.EnumerateFiles(Path.GetDirectoryName(full)!, Path.GetFileName(full) + ".tmp-*")) File.Delete(stale);
        var temp = $"{path}.tmp-{Guid.NewGuid():N}";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                WriteTo(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private void WriteTo(Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write((ulong)tensors.Count);
        writer.Write((ulong)metadata.Count);
        foreach (var entry in metadata) entry(writer);
        ulong offset = 0;
        foreach (var t in tensors)
        {
            WriteString(writer, t.Name);
            writer.Write((uint)t.Dimensions.Length);
            foreach (var d in t.Dimensions) writer.Write(d);
            writer.Write((uint)t.Type);
            writer.Write(offset);
            offset = Align(offset + (ulong)ByteSize(t.Type, t.Data.LongLength));
        }
        writer.Flush();
        Pad(stream);
        foreach (var t in tensors)
        {
            var bytes = Encode(t.Type, t.Data);
            stream.Write(bytes);
            Pad(stream);
        }
    }

    private static byte[] Encode(GgufDataType type, float[] data)
    {
        var bytes = new byte[ByteSize(type, data.LongLength)];
        switch (type)
        {
            case GgufDataType.F32:
                for (var i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), data[i]);
                break;
            case GgufDataType.F16:
                for (var i = 0; i < data.Length; i++) BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), (Half)data[i]);
                break;
            case GgufDataType.Q8_0:
                QuantizeQ8(data, bytes);
                break;
        }
        return bytes;
    }

    /// <summary>llama.cpp's quantize_row_q8_0_ref: per block d = max|x| / 127, q = round(x / d).</summary>
    internal static void QuantizeQ8(ReadOnlySpan<float> data, Span<byte> output)
    {
        const int blockBytes = 2 + Q8BlockSize;
        for (var block = 0; block < data.Length / Q8BlockSize; block++)
        {
            var values = data.Slice(block * Q8BlockSize, Q8BlockSize);
            var amax = 0f;
            foreach (var v in values) amax = Math.Max(amax, Math.Abs(v));
            var scale = amax / 127f;
            var inverse = scale != 0 ? 1f / scale : 0f;
            var target = output.Slice(block * blockBytes, blockBytes);
            BinaryPrimitives.WriteHalfLittleEndian(target, (Half)scale);
            for (var i = 0; i < Q8BlockSize; i++) target[2 + i] = (byte)(sbyte)Math.Round(values[i] * inverse, MidpointRounding.AwayFromZero);
        }
    }

    private static ulong Align(ulong value) => (value + Alignment - 1) / Alignment * Alignment;

    private static void Pad(Stream stream)
    {
        var padding = (int)(Align((ulong)stream.Position) - (ulong)stream.Position);
        if (padding > 0) stream.Write(new byte[padding]);
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }
}
