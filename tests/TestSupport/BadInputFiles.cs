using System.Text;

namespace Planner.TestSupport;

/// <summary>The bad files of the bad-input matrix, written into a folder at the start of a run. Big ones are sparse
/// (a length, no bytes on disk) or compressed; nothing here is checked in.</summary>
public static partial class BadInputFiles
{
    private const string Teams = "\"name\": \"Ledgerloom\", \"start\": \"2027-01-04\", \"teams\": [{\"id\": \"be\", \"name\": \"Backend\", \"capacity\": 4}]";

    private static string Item(string id, string extra = "") =>
        $"{{\"id\": \"{id}\", \"title\": \"{id.ToUpperInvariant()}\", \"durationWeeks\": 1, \"demand\": {{\"be\": 1}}{extra}}}";

    public static void WriteAll(string folder)
    {
        void Text(string name, string content) => File.WriteAllText(Path.Combine(folder, name), content);
        void Bytes(string name, byte[] content) => File.WriteAllBytes(Path.Combine(folder, name), content);
        void Sparse(string name, long length)
        {
            using var stream = File.Create(Path.Combine(folder, name));
            stream.SetLength(length);
        }

        // Roadmap imports (JSON and CSV).
        Text("malformed.json", "{\"name\": \"Ledgerloom\",");
        Text("cycle.json", $"{{{Teams}, \"initiatives\": [{Item("a", ", \"dependsOn\": [\"b\"]")}, {Item("b", ", \"dependsOn\": [\"a\"]")}]}}");
        Text("unknown-team.json", "{\"name\": \"Ledgerloom\", \"start\": \"2027-01-04\", \"teams\": [], \"initiatives\": [" + Item("a") + "]}");
        Text("negative.json", $"{{{Teams}, \"initiatives\": [{Item("a").Replace("\"durationWeeks\": 1", "\"durationWeeks\": -2")}]}}");
        Text("duplicate.json", $"{{{Teams}, \"initiatives\": [{Item("a")}, {Item("a")}]}}");
        Text("empty.json", "");
        Bytes("utf16.json", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes($"{{{Teams}, \"initiatives\": [{Item("a")}]}}")).ToArray());
        Text("missing-column.csv", "id,durationWeeks\ni1,2\n");
        Text("bad-number.csv", "id,title,durationWeeks\ni1,Launch,two\n");
        Bytes("latin1.csv", [.. "id,title,durationWeeks\ni1,Caf"u8, 0xE9, .. " launch,2\n"u8]);
        Text("notes.xml", "<roadmap/>");
        Sparse("huge.json", 50L * 1024 * 1024);

        // Document uploads.
        Text("empty.txt", "");
        Bytes("binary.txt", [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0]);
        Bytes("latin1.md", [.. "# Caf"u8, 0xE9, .. " notes\n"u8]);
        Bytes("archive.pdf", [.. "PK\u0003\u0004"u8, .. new byte[60]]);
        Text("tool.exe", "MZ");
        Bytes("bomb.pdf", TestPdfs.FlateBomb(300L * 1024 * 1024));
        Sparse("big.pdf", 200L * 1024 * 1024);

        // Model files.
        Bytes("short.gguf", [.. "GGUF"u8, 3, 0, 0, 0]);
        Bytes("zip.gguf", [.. "PK\u0003\u0004"u8, .. new byte[60]]);
        Bytes("huge-count.gguf", Gguf(tensorCount: 1L << 62, metadata: [], tensors: []));
        Bytes("truncated.gguf", Gguf(1, [], [("w", [256, 256], 0)]));
        Bytes("zero-alignment.gguf", Gguf(1, [("general.alignment", 0)], [("w", [4], 0)]));
        Bytes("impossible-dims.gguf", Gguf(1, [], [("w", [1L << 30, 1L << 30, 1L << 30, 1L << 30], 0)]));
        Bytes("header-length.safetensors", [.. BitConverter.GetBytes(1L << 62), .. "{}"u8]);
        Bytes("offsets.safetensors", Safetensors("{\"wte.weight\":{\"dtype\":\"F32\",\"shape\":[1048576,1024],\"data_offsets\":[0,4294967296]}}"));
        Bytes("shape.safetensors", Safetensors("{\"wte.weight\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,16]}}"));
        Directory.CreateDirectory(Path.Combine(folder, "corrupted-checkpoint"));
        Text(Path.Combine("corrupted-checkpoint", "config.json"), "{\"format\": ");

        Directory.CreateDirectory(Path.Combine(folder, "empty-corpus"));
        Directory.CreateDirectory(Path.Combine(folder, "a-folder"));

        WriteModelFiles(folder);
        WriteRoadmapsAtBounds(folder);
    }


    /// <summary>A GGUF v3 header: general.architecture=gpt2, gpt2.context_length=256, the given uint32 metadata, and
    /// F32 tensor entries; no tensor data.</summary>
    private static byte[] Gguf(long tensorCount, (string Key, uint Value)[] metadata, (string Name, long[] Dims, long Offset)[] tensors)
    {
        var stream = new MemoryStream();
        var w = new BinaryWriter(stream);
        void String(string s) { var b = Encoding.UTF8.GetBytes(s); w.Write((long)b.Length); w.Write(b); }
        w.Write("GGUF"u8);
        w.Write(3u);
        w.Write(tensorCount);
        w.Write(2L + metadata.Length);
        String("general.architecture"); w.Write(8u); String("gpt2");
        String("gpt2.context_length"); w.Write(4u); w.Write(256u);
        foreach (var (key, value) in metadata) { String(key); w.Write(4u); w.Write(value); }
        foreach (var (name, dims, offset) in tensors)
        {
            String(name);
            w.Write((uint)dims.Length);
            foreach (var d in dims) w.Write(d);
            w.Write(0u); // F32
            w.Write(offset);
        }
        w.Flush();
        return stream.ToArray();
    }

    private static byte[] Safetensors(string header)
    {
        var json = Encoding.UTF8.GetBytes(header);
        return [.. BitConverter.GetBytes((long)json.Length), .. json, .. new byte[16]];
    }
}
