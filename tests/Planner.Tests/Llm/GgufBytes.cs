using System.Text;

namespace Planner.Tests.Llm;

/// <summary>Writes GGUF v3 files by the format's rules, field by field, so tests can build well-formed files and then
/// break exactly one thing.</summary>
internal sealed class GgufBytes
{
    /// <summary>A metadata value: its GGUF type and a writer for its bytes.</summary>
    public sealed record Value(uint Type, Action<BinaryWriter> Write);

    /// <summary>A tensor entry; <see cref="Offset"/> null places it where the previous one ends (padded), as llama.cpp asks.</summary>
    public sealed record Tensor(string Name, long[] Dims, uint Type = 0, long? Offset = null);

    public List<(string Key, Value Value)> Metadata { get; } = [];
    public List<Tensor> Tensors { get; } = [];
    public long Alignment { get; init; } = 32;

    public static GgufBytes Gpt2(long context = 256) => new GgufBytes().With("general.architecture", Str("gpt2")).With("gpt2.context_length", U32((uint)context));

    public GgufBytes With(string key, Value value)
    {
        Metadata.Add((key, value));
        return this;
    }

    public GgufBytes WithTensor(string name, long[] dims, uint type = 0, long? offset = null)
    {
        Tensors.Add(new Tensor(name, dims, type, offset));
        return this;
    }

    public static Value U32(uint v) => new(4, w => w.Write(v));
    public static Value I32(int v) => new(5, w => w.Write(v));
    public static Value I64(long v) => new(11, w => w.Write(v));
    public static Value Str(string s) => new(8, w => WriteString(w, s));
    public static Value Array(uint itemType, long count, Action<BinaryWriter> items) => new(9, w => { w.Write(itemType); w.Write(count); items(w); });

    public static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((long)bytes.Length);
        w.Write(bytes);
    }

    /// <summary>The tensor's bytes in F32 (0), F16 (1) or Q8_0 (8); 0 for other types.</summary>
    public static long Bytes(Tensor t)
    {
        var elements = t.Dims.Aggregate(1L, (a, d) => a * d);
        return t.Type switch { 0 => elements * 4, 1 => elements * 2, 8 => elements / 32 * 34, _ => 0 };
    }

    public byte[] Build(bool withData = true)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write("GGUF"u8);
        w.Write(3u);
        w.Write((long)Tensors.Count);
        w.Write((long)Metadata.Count);
        foreach (var (key, value) in Metadata)
        {
            WriteString(w, key);
            w.Write(value.Type);
            value.Write(w);
        }
        long next = 0;
        foreach (var t in Tensors)
        {
            WriteString(w, t.Name);
            w.Write((uint)t.Dims.Length);
            foreach (var d in t.Dims) w.Write(d);
            w.Write(t.Type);
            w.Write(t.Offset ?? next);
            next += (Bytes(t) + Alignment - 1) / Alignment * Alignment;
        }
        if (withData)
        {
            while (stream.Length % Alignment != 0) w.Write((byte)0);
            w.Write(new byte[next]);
        }
        w.Flush();
        return stream.ToArray();
    }
}
