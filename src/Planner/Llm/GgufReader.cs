using System.Text;

namespace Planner.Llm;

/// <summary>Reads a GGUF file's header (metadata and tensor table) with bounds checks at every step, so a truncated
/// or hostile file gives a clear error instead of a crash or a huge allocation. Weights are never read.</summary>
public static class GgufReader
{
    private const uint Magic = 0x46554747; // "GGUF" little-endian
    private const long MaxCount = 1_000_000;
    private const long MaxStringBytes = 64L * 1024 * 1024;

    /// <summary>The header, or an exception whose message says what is wrong with the file.</summary>
    public static GgufInfo Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            return Read(path, stream, reader);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{System.IO.Path.GetFileName(path)} is truncated: its header ends early.");
        }
    }

    private static GgufInfo Read(string path, FileStream stream, BinaryReader reader)
    {
        var name = System.IO.Path.GetFileName(path);
        if (stream.Length < 4 || reader.ReadUInt32() != Magic)
            throw new InvalidDataException($"{name} is not a GGUF model file (wrong magic number).");
        if (stream.Length < 24)
            throw new InvalidDataException($"{name} is truncated: {stream.Length} bytes, shorter than a GGUF header.");
        var version = (int)reader.ReadUInt32();
        if (version is < 2 or > 3) throw new InvalidDataException($"{name} is GGUF version {version}; versions 2 and 3 are supported.");
        var tensorCount = reader.ReadInt64();
        var kvCount = reader.ReadInt64();
        if (tensorCount is < 0 or > MaxCount || kvCount is < 0 or > MaxCount)
            throw new InvalidDataException($"{name} declares {tensorCount} tensors and {kvCount} metadata entries: not a plausible model.");

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        for (long i = 0; i < kvCount; i++)
        {
            var key = ReadString(stream, reader, name);
            var type = reader.ReadUInt32();
            metadata[key] = ReadValue(stream, reader, type, name);
        }

        long parameters = 0;
        var typeCounts = new Dictionary<uint, long>();
        for (long i = 0; i < tensorCount; i++)
        {
            ReadString(stream, reader, name);
            var dims = reader.ReadUInt32();
            if (dims > 8) throw new InvalidDataException($"{name} has a tensor with {dims} dimensions: the file is corrupt.");
            long elements = 1;
            for (var d = 0; d < dims; d++)
            {
                var size = reader.ReadInt64();
                if (size < 0 || (size > 0 && elements > long.MaxValue / size)) throw new InvalidDataException($"{name} has a tensor of impossible size: the file is corrupt.");
                elements *= size;
            }
            var ggmlType = reader.ReadUInt32();
            reader.ReadUInt64(); // offset into the data section
            parameters += elements;
            if (dims >= 2) typeCounts[ggmlType] = typeCounts.GetValueOrDefault(ggmlType) + elements;
        }

        var architecture = metadata.GetValueOrDefault("general.architecture");
        int? context = architecture is not null && metadata.TryGetValue($"{architecture}.context_length", out var c) && int.TryParse(c, out var n) ? n : null;
        var quantization = typeCounts.Count == 0 ? "unknown" : TypeName(typeCounts.MaxBy(p => p.Value).Key);
        return new GgufInfo(path, stream.Length, version, architecture, metadata.GetValueOrDefault("general.name"), parameters, context,
            quantization, metadata.ContainsKey("tokenizer.chat_template"), metadata);
    }

    private static string ReadString(FileStream stream, BinaryReader reader, string name)
    {
        var length = reader.ReadInt64();
        if (length < 0 || length > MaxStringBytes || length > stream.Length - stream.Position)
            throw new InvalidDataException($"{name} declares a string of {length} bytes: the file is truncated or corrupt.");
        return Encoding.UTF8.GetString(reader.ReadBytes((int)length));
    }

    /// <summary>A value as text; arrays are summarised ("[50257 strings]") and skipped over, not kept.</summary>
    private static string ReadValue(FileStream stream, BinaryReader reader, uint type, string name)
    {
        switch (type)
        {
            case 0: return reader.ReadByte().ToString();
            case 1: return reader.ReadSByte().ToString();
            case 2: return reader.ReadUInt16().ToString();
            case 3: return reader.ReadInt16().ToString();
            case 4: return reader.ReadUInt32().ToString();
            case 5: return reader.ReadInt32().ToString();
            case 6: return reader.ReadSingle().ToString(System.Globalization.CultureInfo.InvariantCulture);
            case 7: return reader.ReadBoolean() ? "true" : "false";
            case 8: return ReadString(stream, reader, name);
            case 10: return reader.ReadUInt64().ToString();
            case 11: return reader.ReadInt64().ToString();
            case 12: return reader.ReadDouble().ToString(System.Globalization.CultureInfo.InvariantCulture);
            case 9:
                var itemType = reader.ReadUInt32();
                var count = reader.ReadInt64();
                if (count < 0 || count > 100_000_000) throw new InvalidDataException($"{name} declares an array of {count} items: the file is corrupt.");
                var width = itemType switch { 0 or 1 or 7 => 1, 2 or 3 => 2, 4 or 5 or 6 => 4, 10 or 11 or 12 => 8, _ => 0 };
                if (width > 0)
                {
                    if (count * width > stream.Length - stream.Position) throw new EndOfStreamException();
                    stream.Seek(count * width, SeekOrigin.Current);
                }
                else
                {
                    for (long i = 0; i < count; i++) ReadValue(stream, reader, itemType, name);
                }
                return $"[{count} {(itemType == 8 ? "strings" : "values")}]";
            default:
                throw new InvalidDataException($"{name} has a metadata value of unknown type {type}: the file is corrupt.");
        }
    }

    public static string TypeName(uint ggmlType) => ggmlType switch
    {
        0 => "F32",
        1 => "F16",
        2 => "Q4_0",
        3 => "Q4_1",
        6 => "Q5_0",
        7 => "Q5_1",
        8 => "Q8_0",
        10 => "Q2_K",
        11 => "Q3_K",
        12 => "Q4_K",
        13 => "Q5_K",
        14 => "Q6_K",
        30 => "BF16",
        _ => $"type {ggmlType}",
    };
}
