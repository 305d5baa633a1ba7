using System.Buffers.Binary;
using Planner.Engine.Export;

namespace Planner.Engine.Tests.Export;

public class GgufWriterTests
{
    [Fact]
    public void Q8_0_blocks_hold_an_f16_scale_and_32_rounded_bytes()
    {
        var values = Enumerable.Range(0, 64).Select(i => (float)Math.Sin(i) * (i < 32 ? 1 : 0.01f)).ToArray();
        var bytes = new byte[GgufWriter.ByteSize(GgufDataType.Q8_0, 64)];
        GgufWriter.QuantizeQ8(values, bytes);
        Assert.Equal(68, bytes.Length);
        for (var block = 0; block < 2; block++)
        {
            var scale = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(block * 34));
            var amax = values.Skip(block * 32).Take(32).Max(Math.Abs);
            Assert.Equal(amax / 127, scale, 1e-3 * amax);
            for (var i = 0; i < 32; i++)
            {
                var restored = (sbyte)bytes[block * 34 + 2 + i] * scale;
                Assert.True(Math.Abs(restored - values[block * 32 + i]) <= scale * 0.51 + 1e-6, $"block {block} item {i}");
            }
        }
    }

    [Fact]
    public void The_header_reader_reads_back_metadata_and_refuses_truncated_or_foreign_files()
    {
        using var dir = new TempFolder();
        var path = dir.File("t.gguf");
        var writer = new GgufWriter();
        writer.AddString("general.architecture", "gpt2");
        writer.AddUInt32("gpt2.context_length", 256);
        writer.AddStringArray("tokenizer.ggml.tokens", ["a", "b"]);
        writer.AddTensor("w", [2, 32], GgufDataType.F16, new float[64]);
        writer.Write(path);

        var header = Planner.Llm.GgufReader.Read(path); // the product's one GGUF reader reads what the writer wrote
        Assert.Equal(3, header.Version);
        Assert.Equal("gpt2", header.Architecture);
        Assert.Equal(256, header.ContextLength);
        Assert.Equal(["w"], header.TensorNames);
        Assert.Equal("[2 strings]", header.Metadata["tokenizer.ggml.tokens"]);

        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Planner.Llm.GgufReader.Read(path)).Message);
        File.WriteAllBytes(path, bytes[..40]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Planner.Llm.GgufReader.Read(path)).Message);
        File.WriteAllText(path, "definitely not a model file, just text");
        Assert.Contains("not a GGUF", Assert.Throws<InvalidDataException>(() => Planner.Llm.GgufReader.Read(path)).Message);
    }
}
