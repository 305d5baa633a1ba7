using System.Globalization;
using System.Text;

namespace Planner.Llm;

/// <summary>Reads a GGUF file's header (metadata and tensor table) with bounds checks at every step, so a truncated
/// or hostile file gives a clear error (<see cref="InvalidDataException"/>) instead of a crash, a huge allocation or a
/// deep recursion — before llama.cpp, whose loader aborts the whole process on some malformed input, ever sees it.
/// Weights are never read, but the tensor table must fit the file: a download cut short is refused. The one GGUF reader
/// of the product: the model registry, the runtime and the command line all use it.</summary>
public static class GgufReader
{
    private const uint Magic = 0x46554747; // "GGUF" little-endian
    private const long MaxCount = 1_000_000;
    private const long MaxStringBytes = 64L * 1024 * 1024;
    private const int MaxDimensions = 4;   // GGML_MAX_DIMS
    private const int MaxArrayNesting = 4; // arrays of arrays: real files have none; a deep nest is an attack
    private const long DefaultAlignment = 32;

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
            metadata[key] = ReadValue(stream, reader, type, name, depth: 0);
        }
        var alignment = metadata.TryGetValue("general.alignment", out var a) ? (long.TryParse(a, out var n) ? n : -1) : DefaultAlignment;
        if (alignment is < 1 or > 1 << 20 || (alignment & (alignment - 1)) != 0)
            throw new InvalidDataException($"{name} is corrupt: its alignment {a} is not a power of two.");

        long parameters = 0, dataEnd = 0;
        var typeCounts = new Dictionary<uint, long>();
        var tensorNames = new List<string>();
        for (long i = 0; i < tensorCount; i++)
        {
            var tensor = ReadString(stream, reader, name);
            tensorNames.Add(tensor);
            var dims = reader.ReadUInt32();
            if (dims > MaxDimensions) throw new InvalidDataException($"{name} has a tensor ({tensor}) with {dims} dimensions: the file is corrupt.");
            try
            {
                // checked: dimensions that multiply past 2^63 must not wrap round into a small, plausible size.
                long elements = 1;
                for (var d = 0; d < dims; d++)
                {
                    var size = reader.ReadInt64();
                    if (size < 0) throw new OverflowException();
                    elements = checked(elements * size);
                }
                var ggmlType = reader.ReadUInt32();
                var offset = reader.ReadInt64();
                if (offset < 0 || offset % alignment != 0) throw new InvalidDataException($"{name} is corrupt: tensor {tensor} starts at offset {offset}.");
                dataEnd = Math.Max(dataEnd, checked(offset + Bytes(ggmlType, elements)));
                parameters = checked(parameters + elements);
                if (dims >= 2) typeCounts[ggmlType] = typeCounts.GetValueOrDefault(ggmlType) + elements;
            }
            catch (OverflowException)
            {
                throw new InvalidDataException($"{name} has a tensor ({tensor}) of impossible size: the file is corrupt.");
            }
        }
        var dataStart = (stream.Position + alignment - 1) / alignment * alignment;
        if (dataEnd > stream.Length - dataStart)
            throw new InvalidDataException($"{name} is truncated: its tensors need {dataStart + dataEnd:N0} bytes, the file has {stream.Length:N0} (an unfinished download?).");

        var architecture = metadata.GetValueOrDefault("general.architecture");
        int? context = architecture is not null && metadata.TryGetValue($"{architecture}.context_length", out var c) && int.TryParse(c, out var ctx) ? ctx : null;
        var quantization = typeCounts.Count == 0 ? "unknown" : TypeName(typeCounts.MaxBy(p => p.Value).Key);
        return new GgufInfo(path, stream.Length, version, architecture, metadata.GetValueOrDefault("general.name"), parameters, context,
            quantization, metadata.ContainsKey("tokenizer.chat_template"), metadata) { TensorNames = tensorNames };
    }

    /// <summary>The bytes a tensor of <paramref name="elements"/> takes in a ggml type (blocks of 32 or 256 elements for
    /// the quantised ones); 0 for types not listed, which are then not checked against the file's length.</summary>
    private static long Bytes(uint ggmlType, long elements) => ggmlType switch
    {
        0 => checked(elements * 4),          // F32
        1 or 30 => checked(elements * 2),    // F16, BF16
        2 => checked(elements / 32 * 18),    // Q4_0
        3 => checked(elements / 32 * 20),    // Q4_1
        6 => checked(elements / 32 * 22),    // Q5_0
        7 => checked(elements / 32 * 24),    // Q5_1
        8 => checked(elements / 32 * 34),    // Q8_0
        9 => checked(elements / 32 * 36),    // Q8_1
        10 => checked(elements / 256 * 84),  // Q2_K
        11 => checked(elements / 256 * 110), // Q3_K
        12 => checked(elements / 256 * 144), // Q4_K
        13 => checked(elements / 256 * 176), // Q5_K
        14 => checked(elements / 256 * 210), // Q6_K
        15 => checked(elements / 256 * 292), // Q8_K
        _ => 0,
    };

    private static string ReadString(FileStream stream, BinaryReader reader, string name) =>
        Encoding.UTF8.GetString(reader.ReadBytes(StringLength(stream, reader, name)));

    private static void SkipString(FileStream stream, BinaryReader reader, string name) =>
        stream.Seek(StringLength(stream, reader, name), SeekOrigin.Current);

    /// <summary>A string's declared length, refused when it is negative, absurd or longer than the rest of the file.</summary>
    private static int StringLength(FileStream stream, BinaryReader reader, string name)
    {
        var length = reader.ReadInt64();
        if (length < 0 || length > MaxStringBytes || length > stream.Length - stream.Position)
            throw new InvalidDataException($"{name} declares a string of {length} bytes: the file is truncated or corrupt.");
        return (int)length;
    }

    /// <summary>A value as text; arrays are summarised ("[50257 strings]") and skipped over, not kept.</summary>
    private static string ReadValue(FileStream stream, BinaryReader reader, uint type, string name, int depth)
    {
        switch (type)
        {
            case 0: return reader.ReadByte().ToString(CultureInfo.InvariantCulture);
            case 1: return reader.ReadSByte().ToString(CultureInfo.InvariantCulture);
            case 2: return reader.ReadUInt16().ToString(CultureInfo.InvariantCulture);
            case 3: return reader.ReadInt16().ToString(CultureInfo.InvariantCulture);
            case 4: return reader.ReadUInt32().ToString(CultureInfo.InvariantCulture);
            case 5: return reader.ReadInt32().ToString(CultureInfo.InvariantCulture);
            case 6: return reader.ReadSingle().ToString(CultureInfo.InvariantCulture);
            case 7: return reader.ReadBoolean() ? "true" : "false";
            case 8: return ReadString(stream, reader, name);
            case 10: return reader.ReadUInt64().ToString(CultureInfo.InvariantCulture);
            case 11: return reader.ReadInt64().ToString(CultureInfo.InvariantCulture);
            case 12: return reader.ReadDouble().ToString(CultureInfo.InvariantCulture);
            case 9:
                if (depth >= MaxArrayNesting) throw new InvalidDataException($"{name} nests arrays more than {MaxArrayNesting} deep: the file is corrupt.");
                var itemType = reader.ReadUInt32();
                var count = reader.ReadInt64();
                var width = itemType switch { 0 or 1 or 7 => 1, 2 or 3 => 2, 4 or 5 or 6 => 4, 10 or 11 or 12 => 8, _ => 0 };
                // Every item takes at least a byte (a string or an array at least its 8-byte length): a count the rest of
                // the file cannot hold is refused before any loop runs over it.
                if (count < 0 || count > (stream.Length - stream.Position) / Math.Max(1, width == 0 ? 8 : width))
                    throw new InvalidDataException($"{name} declares an array of {count} items: the file is truncated or corrupt.");
                if (width > 0)
                {
                    stream.Seek(count * width, SeekOrigin.Current);
                }
                else if (itemType == 8)
                {
                    for (long i = 0; i < count; i++) SkipString(stream, reader, name);
                }
                else
                {
                    for (long i = 0; i < count; i++) ReadValue(stream, reader, itemType, name, depth + 1);
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
