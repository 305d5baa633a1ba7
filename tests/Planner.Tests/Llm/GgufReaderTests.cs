using System.Text;
using Planner.Llm;

namespace Planner.Tests.Llm;

public sealed class GgufReaderTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "planner-gguf", Guid.NewGuid().ToString("N"));

    public GgufReaderTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A minimal GGUF v3 file: a few metadata entries (with a string array, like a tokenizer's), a tensor table
    /// and the tensors' data (zeros), aligned as the format asks.</summary>
    private static byte[] Header(string architecture, int context, params (string Name, long[] Dims, uint Type)[] tensors)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        void Str(string s) { var b = Encoding.UTF8.GetBytes(s); w.Write((long)b.Length); w.Write(b); }
        w.Write(0x46554747u); w.Write(3u); w.Write((long)tensors.Length); w.Write(4L);
        Str("general.architecture"); w.Write(8u); Str(architecture);
        Str($"{architecture}.context_length"); w.Write(4u); w.Write((uint)context);
        Str("general.name"); w.Write(8u); Str("starter");
        Str("tokenizer.ggml.tokens"); w.Write(9u); w.Write(8u); w.Write(3L); Str("a"); Str("b"); Str("<|endoftext|>");
        long offset = 0;
        foreach (var (name, dims, type) in tensors)
        {
            Str(name); w.Write((uint)dims.Length); foreach (var d in dims) w.Write(d); w.Write(type); w.Write(offset);
            var elements = dims.Aggregate(1L, (a, d) => a * d);
            offset += (type switch { 0 => elements * 4, 1 => elements * 2, _ => elements / 32 * 34 } + 31) / 32 * 32;
        }
        while (stream.Length % 32 != 0) w.Write((byte)0);
        w.Write(new byte[offset]);
        return stream.ToArray();
    }

    /// <summary>A GGUF header with no tensors and one metadata entry, its type and value written by <paramref name="value"/>.</summary>
    private static byte[] OneEntry(string key, Action<BinaryWriter> value)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write(0x46554747u); w.Write(3u); w.Write(0L); w.Write(1L);
        var bytes = Encoding.UTF8.GetBytes(key);
        w.Write((long)bytes.Length); w.Write(bytes);
        value(w);
        return stream.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void The_header_tells_architecture_parameters_context_and_weight_type()
    {
        var path = Write("tiny.gguf", Header("gpt2", 256, ("token_embd.weight", [64, 100], 8), ("blk.0.attn_qkv.weight", [64, 192], 8), ("output_norm.weight", [64], 0)));
        var info = GgufReader.Read(path);
        Assert.Equal(("gpt2", 256, "starter"), (info.Architecture!, info.ContextLength!.Value, info.Name!));
        Assert.Equal(64 * 100 + 64 * 192 + 64, info.Parameters);
        Assert.Equal("Q8_0", info.Quantization);
        Assert.Equal("[3 strings]", info.Metadata["tokenizer.ggml.tokens"]);
        Assert.False(info.HasChatTemplate);
    }

    [Fact]
    public void Damaged_files_are_refused_with_a_reason()
    {
        var good = Header("gpt2", 256, ("token_embd.weight", [64, 100], 0));
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => GgufReader.Read(Write("cut.gguf", good[..(good.Length - 9)]))).Message);
        Assert.Contains("wrong magic", Assert.Throws<InvalidDataException>(() => GgufReader.Read(Write("zip.gguf", [0x50, 0x4B, 3, 4, .. new byte[40]]))).Message);

        var huge = (byte[])good.Clone();
        BitConverter.GetBytes(long.MaxValue).CopyTo(huge, 8); // tensor count
        Assert.Contains("not a plausible model", Assert.Throws<InvalidDataException>(() => GgufReader.Read(Write("huge.gguf", huge))).Message);

        var longString = (byte[])good.Clone();
        BitConverter.GetBytes(1L << 40).CopyTo(longString, 24); // the first key's length
        Assert.Contains("declares a key of 1099511627776 bytes", Assert.Throws<InvalidDataException>(() => GgufReader.Read(Write("str.gguf", longString))).Message);
    }

    [Fact]
    public void A_file_whose_tensors_do_not_fit_is_refused_as_an_unfinished_download()
    {
        var good = Header("gpt2", 256, ("token_embd.weight", [64, 100], 0));
        Assert.Equal("gpt2", GgufReader.Read(Write("whole.gguf", good)).Architecture);
        var error = Assert.Throws<InvalidDataException>(() => GgufReader.Read(Write("part.gguf", good[..(good.Length - 100)])));
        Assert.Contains("part.gguf is truncated: its tensors need", error.Message);
        Assert.Contains("an unfinished download?", error.Message);
    }

    [Fact]
    public void A_tensor_placed_anywhere_but_where_the_data_begins_is_refused_even_where_its_end_would_wrap_round()
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write(0x46554747u); w.Write(3u); w.Write(1L); w.Write(0L);
        var name = Encoding.UTF8.GetBytes("w");
        w.Write((long)name.Length); w.Write(name);
        w.Write(1u); w.Write(32L); w.Write(0u); w.Write(long.MaxValue - long.MaxValue % 32 - 256); // aligned, near the top of a long: offset + size fits, + the header would not
        w.Write(new byte[64]);
        Assert.Contains("is corrupt: tensor w starts at offset 9223372036854775520, not 0.", Assert.Throws<InvalidDataException>(() => GgufReader.Read(Write("far.gguf", stream.ToArray()))).Message);
    }

    [Fact]
    public void Arrays_nested_deep_are_refused_at_the_first_array_of_arrays()
    {
        // general.deep: an array of arrays of arrays... a few hundred thousand deep (the reader's own stack would not hold it).
        var deep = OneEntry("general.deep", w =>
        {
            w.Write(9u);
            for (var depth = 0; depth < 300_000; depth++) { w.Write(9u); w.Write(1L); } // item type array, one item
            w.Write(4u); w.Write(0L);
        });
        var error = Assert.Throws<InvalidDataException>(() => GgufReader.Read(Write("deep.gguf", deep)));
        Assert.Equal("deep.gguf has an array of arrays in 'general.deep' (llama.cpp refuses them): the file is corrupt.", error.Message);
    }

    [Fact]
    public void An_array_longer_than_the_rest_of_the_file_is_refused_before_reading_it()
    {
        var tokens = OneEntry("tokenizer.ggml.tokens", w =>
        {
            w.Write(9u); w.Write(8u); w.Write(1L << 40); // a trillion strings in a few bytes
            w.Write(new byte[64]);
        });
        Assert.Contains("declares an array of 1099511627776 items", Assert.Throws<InvalidDataException>(() => GgufReader.Read(Write("long.gguf", tokens))).Message);
    }

    [Fact]
    public void The_registry_lists_usable_models_and_says_why_others_are_not()
    {
        Write("ok.gguf", Header("gpt2", 256, ("token_embd.weight", [64, 100], 1)));
        Write("other.gguf", Header("mamba", 2048, ("token_embd.weight", [64, 100], 1)));
        Write("broken.gguf", [1, 2, 3]);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not a model");
        var entries = new ModelRegistry([folder, Path.Combine(folder, "missing")]).Scan();
        Assert.Equal(["broken.gguf", "ok.gguf", "other.gguf"], entries.Select(e => e.FileName));
        Assert.True(entries[1].Usable);
        Assert.Contains("not a GGUF", entries[0].Problem);
        Assert.Contains("Architecture 'mamba' is not supported", entries[2].Problem);
    }

    [Fact]
    public void The_registry_reads_a_header_once_and_again_only_when_the_file_changes()
    {
        var ok = Write("ok.gguf", Header("gpt2", 256, ("token_embd.weight", [64, 100], 1)));
        var registry = new ModelRegistry([folder]);
        var first = Assert.Single(registry.Scan());
        Assert.Same(first, Assert.Single(registry.Scan()));

        // Replaced by another model of the same size: the modification time tells.
        var replaced = Header("gpt2", 512, ("token_embd.weight", [64, 100], 1));
        File.WriteAllBytes(ok, replaced);
        File.SetLastWriteTimeUtc(ok, File.GetLastWriteTimeUtc(ok).AddSeconds(5));
        var second = Assert.Single(registry.Scan());
        Assert.NotSame(first, second);
        Assert.Equal(512, second.Info!.ContextLength);

        File.WriteAllBytes(ok, [1, 2, 3]); // truncated in place: the size tells
        File.SetLastWriteTimeUtc(ok, File.GetLastWriteTimeUtc(ok).AddSeconds(-5));
        Assert.Contains("not a GGUF", Assert.Single(registry.Scan()).Problem);
        File.Delete(ok);
        Assert.Empty(registry.Scan());
    }
}
