using System.Globalization;
using System.Text;

namespace Planner.Llm;

/// <summary>Reads a GGUF file's header (metadata and tensor table) by llama.cpp's own rules (ggml's <c>gguf.cpp</c>), so
/// whatever it accepts llama.cpp's loader accepts too, and whatever is truncated or hostile is refused here with a clear
/// <see cref="InvalidDataException"/> before llama.cpp, which aborts the whole process on some malformed input, sees it.
/// The rules: version 2 or 3; counts, key, name, string and array lengths capped and checked against the bytes left;
/// no duplicate keys or tensor names; no arrays of arrays (llama.cpp refuses them, and nothing nested means nothing to
/// recurse through); an alignment that is a 32-bit power of two; at most four dimensions, none negative, rows in whole
/// blocks of a known ggml type; each tensor exactly where the one before it ends (padded to the alignment); every size
/// and offset computed with checked arithmetic; all tensors inside the file; and a declared context length Planner can
/// run. Weights are never read. The one GGUF reader of the product: the model registry, the runtime and the command
/// line all use it.</summary>
public static class GgufReader
{
    /// <summary>The fewest tokens of context a usable model declares: a chat template, a prompt and an answer need at
    /// least this much, and 0 or 1 would leave the prompt budget empty or negative.</summary>
    public const int MinContextLength = 16;

    /// <summary>The most tokens of context a model may declare (2^20). llama.cpp sizes its cache for the declared context
    /// when no smaller one is set, so an absurd value is an allocation of tens of gigabytes; the longest-context models of
    /// the supported architectures declare about a million.</summary>
    public const int MaxContextLength = 1 << 20;

    private const uint Magic = 0x46554747; // "GGUF" little-endian
    private const long MaxCount = 1_000_000;
    private const long MaxStringBytes = 64L * 1024 * 1024;
    private const long MaxKeptBytes = 64L * 1024 * 1024; // metadata text kept in memory, all values together
    private const int MaxKeyBytes = 65_535;              // the GGUF specification's limit on a key
    private const int MaxTensorNameBytes = 63;           // GGML_MAX_NAME - 1
    private const int MaxDimensions = 4;                 // GGML_MAX_DIMS
    private const long DefaultAlignment = 32;
    private const uint ArrayType = 9, StringType = 8, UInt32Type = 4;

    /// <summary>The header, or an <see cref="InvalidDataException"/> whose message says what is wrong with the file.</summary>
    public static GgufInfo Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var name = Path.GetFileName(path);
        try
        {
            return new HeaderParser(name, stream, reader).Parse(path);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{name} is truncated: its header ends early.");
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"{name} declares sizes past any file: the file is corrupt.");
        }
    }

    public static string TypeName(uint ggmlType) => GgufTensorType.Name(ggmlType);

    /// <summary>One pass over one file's header, front to back, without recursion.</summary>
    private sealed class HeaderParser(string name, FileStream stream, BinaryReader reader)
    {
        private long keptBytes;
        private long Left => stream.Length - stream.Position;

        public GgufInfo Parse(string path)
        {
            if (stream.Length < 4 || reader.ReadUInt32() != Magic)
                throw new InvalidDataException($"{name} is not a GGUF model file (wrong magic number).");
            if (stream.Length < 24)
                throw new InvalidDataException($"{name} is truncated: {stream.Length} bytes, shorter than a GGUF header.");
            var version = reader.ReadUInt32();
            if (version is < 2 or > 3) throw new InvalidDataException($"{name} is GGUF version {version}; versions 2 and 3 are supported.");
            var tensorCount = reader.ReadInt64();
            var kvCount = reader.ReadInt64();
            if (tensorCount is < 0 or > MaxCount || kvCount is < 0 or > MaxCount)
                throw new InvalidDataException($"{name} declares {tensorCount} tensors and {kvCount} metadata entries: not a plausible model.");
            // An entry takes at least 13 bytes (key length, type, a byte), a tensor at least 24: counts the rest cannot hold are refused now.
            if (kvCount > Left / 13 || tensorCount > (Left - kvCount * 13) / 24)
                throw new InvalidDataException($"{name} is truncated: its header declares {tensorCount} tensors and {kvCount} metadata entries, more than its {stream.Length:N0} bytes hold.");

            var (metadata, alignment) = ReadMetadata(kvCount);
            var (tensorNames, parameters, dataBytes, typeCounts) = ReadTensors(tensorCount, alignment);
            var dataStart = Padded(stream.Position, alignment);
            if (dataBytes > stream.Length - dataStart)
                throw new InvalidDataException($"{name} is truncated: its tensors need {(decimal)dataStart + dataBytes:N0} bytes, the file has {stream.Length:N0} (an unfinished download?).");

            var architecture = metadata.GetValueOrDefault("general.architecture");
            var context = architecture is null ? null : ContextLength(metadata.GetValueOrDefault($"{architecture}.context_length"));
            var quantization = typeCounts.Count == 0 ? "unknown" : TypeName(typeCounts.MaxBy(p => p.Value).Key);
            return new GgufInfo(path, stream.Length, (int)version, architecture, metadata.GetValueOrDefault("general.name"), parameters, context,
                quantization, metadata.ContainsKey("tokenizer.chat_template"), metadata) { TensorNames = tensorNames };
        }

        private (Dictionary<string, string> Metadata, long Alignment) ReadMetadata(long count)
        {
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            long alignment = DefaultAlignment;
            for (long i = 0; i < count; i++)
            {
                var key = ReadString(MaxKeyBytes, "key");
                if (metadata.ContainsKey(key)) throw new InvalidDataException($"{name} has the metadata key '{key}' twice: the file is corrupt.");
                var type = reader.ReadUInt32();
                metadata[key] = type == ArrayType ? SkipArray(key) : ReadValue(type);
                if (key != "general.alignment") continue;
                // llama.cpp reads the alignment as a uint32 and aborts the process when it is stored as anything else.
                if (type != UInt32Type) throw new InvalidDataException($"{name} is corrupt: its alignment is not stored as a 32-bit whole number.");
                alignment = long.Parse(metadata[key], CultureInfo.InvariantCulture);
                if (alignment is < 1 or > 1 << 20 || (alignment & (alignment - 1)) != 0)
                    throw new InvalidDataException($"{name} is corrupt: its alignment {alignment} is not a power of two.");
            }
            return (metadata, alignment);
        }

        private (List<string> Names, long Parameters, long DataBytes, Dictionary<uint, long> TypeCounts) ReadTensors(long count, long alignment)
        {
            var names = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var typeCounts = new Dictionary<uint, long>();
            long parameters = 0, expectedOffset = 0;
            for (long i = 0; i < count; i++)
            {
                var tensor = ReadString(MaxTensorNameBytes, "tensor name");
                if (!seen.Add(tensor)) throw new InvalidDataException($"{name} has two tensors named '{tensor}': the file is corrupt.");
                names.Add(tensor);
                var dims = reader.ReadUInt32();
                if (dims > MaxDimensions) throw new InvalidDataException($"{name} has a tensor ({tensor}) with {dims} dimensions: the file is corrupt.");
                var (elements, rowElements) = Elements(tensor, dims);
                var type = reader.ReadUInt32();
                if (!GgufTensorType.IsKnown(type)) throw new InvalidDataException($"{name} has a tensor ({tensor}) of unknown type {type}: the file is corrupt or newer than this Planner.");
                if (rowElements % GgufTensorType.BlockElements(type) != 0)
                    throw new InvalidDataException($"{name} has a tensor ({tensor}) whose rows are not whole blocks of {TypeName(type)}: the file is corrupt.");
                var offset = reader.ReadInt64();
                // llama.cpp places each tensor exactly where the one before ends, padded to the alignment: no gaps, no overlaps.
                if (offset != expectedOffset) throw new InvalidDataException($"{name} is corrupt: tensor {tensor} starts at offset {offset}, not {expectedOffset}.");
                expectedOffset = checked(expectedOffset + Padded(GgufTensorType.Bytes(type, elements), alignment));
                parameters = checked(parameters + elements);
                if (dims >= 2) typeCounts[type] = checked(typeCounts.GetValueOrDefault(type) + elements);
            }
            return (names, parameters, expectedOffset, typeCounts);
        }

        /// <summary>A tensor's element count and row length; dimensions whose product passes 2^63 are refused rather than
        /// wrapped round into a small, plausible size.</summary>
        private (long Elements, long RowElements) Elements(string tensor, uint dims)
        {
            long elements = 1, row = 1;
            try
            {
                for (var d = 0; d < dims; d++)
                {
                    var size = reader.ReadInt64();
                    if (size < 0) throw new OverflowException();
                    if (d == 0) row = size;
                    elements = checked(elements * size);
                }
                return (elements, row);
            }
            catch (OverflowException)
            {
                throw new InvalidDataException($"{name} has a tensor ({tensor}) of impossible size: the file is corrupt.");
            }
        }

        /// <summary>The declared context length, refused outside the range Planner runs.</summary>
        private int? ContextLength(string? declared)
        {
            if (declared is null) return null;
            if (long.TryParse(declared, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var context) && context is >= MinContextLength and <= MaxContextLength)
                return (int)context;
            throw new InvalidDataException($"{name} declares a context of {declared} tokens; a usable model has {MinContextLength} to {MaxContextLength:N0}.");
        }

        private static long Padded(long bytes, long alignment) => checked(bytes + alignment - 1) / alignment * alignment;

        /// <summary>A string, refused when its declared length is negative, over <paramref name="max"/> or longer than the
        /// rest of the file; what is kept counts against the header's budget.</summary>
        private string ReadString(long max, string what)
        {
            var length = StringLength(max, what);
            if ((keptBytes += length) > MaxKeptBytes)
                throw new InvalidDataException($"{name} holds more than {MaxKeptBytes / (1024 * 1024)} MB of metadata text: not a plausible model.");
            return Encoding.UTF8.GetString(reader.ReadBytes(length));
        }

        private int StringLength(long max, string what)
        {
            var length = reader.ReadInt64();
            if (length < 0 || length > max || length > Left)
                throw new InvalidDataException($"{name} declares a {what} of {length} bytes: the file is truncated or corrupt.");
            return (int)length;
        }

        private string ReadValue(uint type) => type switch
        {
            0 => reader.ReadByte().ToString(CultureInfo.InvariantCulture),
            1 => reader.ReadSByte().ToString(CultureInfo.InvariantCulture),
            2 => reader.ReadUInt16().ToString(CultureInfo.InvariantCulture),
            3 => reader.ReadInt16().ToString(CultureInfo.InvariantCulture),
            4 => reader.ReadUInt32().ToString(CultureInfo.InvariantCulture),
            5 => reader.ReadInt32().ToString(CultureInfo.InvariantCulture),
            6 => reader.ReadSingle().ToString(CultureInfo.InvariantCulture),
            7 => reader.ReadByte() != 0 ? "true" : "false",
            StringType => ReadString(MaxStringBytes, "string"),
            10 => reader.ReadUInt64().ToString(CultureInfo.InvariantCulture),
            11 => reader.ReadInt64().ToString(CultureInfo.InvariantCulture),
            12 => reader.ReadDouble().ToString(CultureInfo.InvariantCulture),
            _ => throw new InvalidDataException($"{name} has a metadata value of unknown type {type}: the file is corrupt."),
        };

        /// <summary>An array, skipped over and summarised ("[50257 strings]"): its items are scalars or strings, never
        /// arrays, and a count the rest of the file cannot hold is refused before any loop runs over it.</summary>
        private string SkipArray(string key)
        {
            var itemType = reader.ReadUInt32();
            var count = reader.ReadInt64();
            if (itemType == ArrayType) throw new InvalidDataException($"{name} has an array of arrays in '{key}' (llama.cpp refuses them): the file is corrupt.");
            var width = itemType switch { 0 or 1 or 7 => 1, 2 or 3 => 2, 4 or 5 or 6 => 4, 10 or 11 or 12 => 8, StringType => 0, _ => -1 };
            if (width < 0) throw new InvalidDataException($"{name} has a metadata array of unknown type {itemType}: the file is corrupt.");
            if (count < 0 || count > Left / (width == 0 ? 8 : width))
                throw new InvalidDataException($"{name} declares an array of {count} items: the file is truncated or corrupt.");
            if (width > 0) stream.Seek(count * width, SeekOrigin.Current);
            else for (long i = 0; i < count; i++) stream.Seek(StringLength(MaxStringBytes, "string"), SeekOrigin.Current);
            return $"[{count} {(itemType == StringType ? "strings" : "values")}]";
        }
    }
}
