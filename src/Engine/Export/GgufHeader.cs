using System.Text;

namespace Planner.Engine.Export;

/// <summary>A GGUF file's header, read and checked in managed code before a model file is handed to llama.cpp (whose
/// loader aborts the whole process on some malformed input). Scalar and string metadata are kept; arrays are skipped.</summary>
public sealed record GgufHeader(uint Version, long TensorCount, IReadOnlyDictionary<string, object> Metadata, IReadOnlyList<string> TensorNames)
{
    private const long MaxCount = 1 << 24;
    private const long MaxStringBytes = 1 << 26;

    public string? Architecture => Metadata.TryGetValue("general.architecture", out var v) ? v as string : null;

    public int? ContextLength => Architecture is { } arch && Metadata.TryGetValue($"{arch}.context_length", out var v) ? Convert.ToInt32(v) : null;

    public static GgufHeader Read(string path)
    {
        if (!File.Exists(path)) throw new GgufFormatException($"{path} does not exist.");
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            if (stream.Length < 4 || reader.ReadUInt32() != GgufWriter.Magic)
                throw new GgufFormatException($"{path} is not a GGUF file (no GGUF magic).");
            if (stream.Length < 24)
                throw new GgufFormatException($"{path} is truncated: {stream.Length} bytes, shorter than a GGUF header.");
            var version = reader.ReadUInt32();
            if (version is not (2 or 3)) throw new GgufFormatException($"{path} is GGUF version {version}; versions 2 and 3 are supported.");
            var tensorCount = Count(reader.ReadInt64(), "tensor", path);
            var metadataCount = Count(reader.ReadInt64(), "metadata", path);
            var metadata = new Dictionary<string, object>(StringComparer.Ordinal);
            for (long i = 0; i < metadataCount; i++)
            {
                var key = ReadString(reader, path);
                var value = ReadValue(reader, reader.ReadUInt32(), path);
                if (value is not null) metadata[key] = value;
            }
            var names = new List<string>();
            var alignment = metadata.TryGetValue("general.alignment", out var a) ? a switch { uint u => u, ulong u => (long)Math.Min(u, long.MaxValue), int i => i, long l => l, _ => 0L } : GgufWriter.Alignment;
            if (alignment is < 1 or > 1 << 20 || (alignment & (alignment - 1)) != 0)
                throw new GgufFormatException($"{path} is corrupted: alignment {a} is not a power of two.");
            long dataEnd = 0;
            for (long i = 0; i < tensorCount; i++)
            {
                names.Add(ReadString(reader, path));
                var dims = reader.ReadUInt32();
                if (dims is 0 or > 4) throw new GgufFormatException($"{path} is corrupted: tensor {names[^1]} has {dims} dimensions.");
                long elements = 1;
                try
                {
                    // checked: dimensions that multiply past 2^63 must not wrap round into a small, plausible size.
                    for (var d = 0; d < dims; d++) elements = checked(elements * Count(reader.ReadInt64(), "dimension", path));
                    var type = reader.ReadUInt32();
                    var offset = reader.ReadInt64();
                    var size = type switch { 0 => checked(elements * 4), 1 => checked(elements * 2), 8 => elements / 32 * 34, _ => 0 };
                    if (offset < 0) throw new GgufFormatException($"{path} is corrupted: tensor {names[^1]} starts at offset {offset}.");
                    dataEnd = Math.Max(dataEnd, checked(offset + size));
                }
                catch (OverflowException)
                {
                    throw new GgufFormatException($"{path} is corrupted: tensor {names[^1]} has an impossible size.");
                }
            }
            var dataStart = (stream.Position + alignment - 1) / alignment * alignment;
            if (dataStart + dataEnd > stream.Length)
                throw new GgufFormatException($"{path} is truncated: its tensors need {dataStart + dataEnd} bytes, the file has {stream.Length}.");
            return new GgufHeader(version, tensorCount, metadata, names);
        }
        catch (EndOfStreamException)
        {
            throw new GgufFormatException($"{path} is truncated: the header ends early.");
        }
    }

    private static long Count(long value, string what, string path) =>
        value is >= 0 and <= MaxCount * 64 ? value : throw new GgufFormatException($"{path} is corrupted: {what} count {value}.");

    private static string ReadString(BinaryReader reader, string path)
    {
        var length = reader.ReadInt64();
        if (length is < 0 or > MaxStringBytes || length > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new GgufFormatException($"{path} is corrupted or truncated: a string of {length} bytes.");
        return Encoding.UTF8.GetString(reader.ReadBytes((int)length));
    }

    private static object? ReadValue(BinaryReader reader, uint type, string path)
    {
        switch (type)
        {
            case 0: return reader.ReadByte();
            case 1: return reader.ReadSByte();
            case 2: return reader.ReadUInt16();
            case 3: return reader.ReadInt16();
            case 4: return reader.ReadUInt32();
            case 5: return reader.ReadInt32();
            case 6: return reader.ReadSingle();
            case 7: return reader.ReadByte() != 0;
            case 8: return ReadString(reader, path);
            case 10: return reader.ReadUInt64();
            case 11: return reader.ReadInt64();
            case 12: return reader.ReadDouble();
            case 9:
                var elementType = reader.ReadUInt32();
                var count = Count(reader.ReadInt64(), "array", path);
                for (long i = 0; i < count; i++) ReadValue(reader, elementType, path);
                return null;
            default:
                throw new GgufFormatException($"{path} is corrupted: unknown metadata type {type}.");
        }
    }
}
