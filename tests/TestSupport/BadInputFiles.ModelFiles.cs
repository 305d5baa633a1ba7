using System.Text;

namespace Planner.TestSupport;

public static partial class BadInputFiles
{
    /// <summary>Hostile model files: well-formed enough to pass a first look, built to break a reader.</summary>
    private static void WriteModelFiles(string folder)
    {
        void Bytes(string name, byte[] content) => File.WriteAllBytes(Path.Combine(folder, name), content);

        // GGUF metadata: arrays nested 300,000 deep (the old recursive reader's stack did not hold them), one array of
        // arrays (llama.cpp refuses them), declared contexts of 0, 1 and -1 tokens, counts and lengths that overflow.
        Bytes("nested.gguf", GgufEntries(1, w =>
        {
            Key(w, "general.deep"); w.Write(9u);
            for (var depth = 0; depth < 300_000; depth++) { w.Write(9u); w.Write(1L); }
            w.Write(4u); w.Write(0L);
        }));
        Bytes("array-of-arrays.gguf", GgufEntries(1, w =>
        {
            Key(w, "tokenizer.ggml.merges"); w.Write(9u); w.Write(9u); w.Write(1L);
            w.Write(8u); w.Write(1L); Key(w, "a b");
        }));
        Bytes("context-0.gguf", GgufContext(w => { w.Write(4u); w.Write(0u); }));
        Bytes("context-1.gguf", GgufContext(w => { w.Write(4u); w.Write(1u); }));
        Bytes("context-negative.gguf", GgufContext(w => { w.Write(5u); w.Write(-1); }));
        Bytes("kv-count.gguf", [.. "GGUF"u8, .. BitConverter.GetBytes(3u), .. BitConverter.GetBytes(0L), .. BitConverter.GetBytes(ulong.MaxValue), .. new byte[32]]);
        Bytes("string-length.gguf", GgufEntries(1, w => { w.Write(ulong.MaxValue); w.Write("general.name"u8); w.Write(8u); }));

        // Safetensors data offsets: overlapping, leaving a hole, summing past 2^63, running backwards.
        Bytes("overlap.safetensors", Safetensors("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"""));
        Bytes("hole.safetensors", Safetensors("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}"""));
        Bytes("offset-overflow.safetensors", Safetensors("""{"a":{"dtype":"U8","shape":[16],"data_offsets":[0,16]},"b":{"dtype":"U8","shape":[9223372036854775791],"data_offsets":[16,9223372036854775807]}}"""));
        Bytes("backwards.safetensors", Safetensors("""{"a":{"dtype":"F32","shape":[0],"data_offsets":[16,0]},"b":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"""));

        // A PDF that bombs the extractor past the Flate check: RunLength, 16 MB on disk, a gigabyte unpacked.
        Bytes("rle-bomb.pdf", TestPdfs.RunLengthBomb(8 << 20));
        Directory.CreateDirectory(Path.Combine(folder, "hostile-corpus"));
        File.Copy(Path.Combine(folder, "rle-bomb.pdf"), Path.Combine(folder, "hostile-corpus", "rle-bomb.pdf"));
    }

    private static void Key(BinaryWriter w, string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        w.Write((long)bytes.Length);
        w.Write(bytes);
    }

    /// <summary>A GGUF v3 header with no tensors and <paramref name="count"/> metadata entries written by <paramref name="entries"/>,
    /// padded to the data section's alignment (32) as a whole file is.</summary>
    private static byte[] GgufEntries(long count, Action<BinaryWriter> entries)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write("GGUF"u8); w.Write(3u); w.Write(0L); w.Write(count);
        entries(w);
        while (stream.Length % 32 != 0) w.Write((byte)0);
        w.Flush();
        return stream.ToArray();
    }

    /// <summary>general.architecture=gpt2 and gpt2.context_length with the type and value <paramref name="context"/> writes.</summary>
    private static byte[] GgufContext(Action<BinaryWriter> context) => GgufEntries(2, w =>
    {
        Key(w, "general.architecture"); w.Write(8u); Key(w, "gpt2");
        Key(w, "gpt2.context_length"); context(w);
    });
}
