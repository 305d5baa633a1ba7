using Planner.Llm;

namespace Planner.Tests.Llm;

public class ModelMemoryTests
{
    [Fact]
    public void The_key_value_cache_of_our_exported_model_is_layers_times_context_times_key_and_value_width_times_two_bytes()
    {
        var folder = Path.Combine(Path.GetTempPath(), "planner-memory", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            // One layer, 2 heads of 16 (embedding 32), trained for 512 tokens.
            var info = GgufReader.Read(TinyModel.Write(Path.Combine(folder, "m.gguf"), "m", context: 512));
            Assert.Equal(1L * 512 * 2 * (16 + 16) * 2, ModelMemory.KvCacheBytes(info, 512));
            Assert.Equal(1L * 256 * 2 * (16 + 16) * 2, ModelMemory.KvCacheBytes(info, 256));
            Assert.Equal(info.SizeBytes + 65_536 + ModelMemory.ComputeAllowance, ModelMemory.NeedBytes(info, 512));
            Assert.Equal(256, ModelMemory.Context(info, new ModelSettings { ContextSize = 256 }));
            Assert.Equal(512, ModelMemory.Context(info, new ModelSettings { ContextSize = 4096 })); // never past what it was trained for
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_grouped_query_model_caches_only_its_key_value_heads()
    {
        var folder = Path.Combine(Path.GetTempPath(), "planner-memory", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            // The shape of a 0.5B Qwen2: 24 layers, 896 wide, 14 query heads, 2 key/value heads of 64.
            var file = Path.Combine(folder, "qwen.gguf");
            File.WriteAllBytes(file, new GgufBytes().With("general.architecture", GgufBytes.Str("qwen2")).With("qwen2.context_length", GgufBytes.U32(32768))
                .With("qwen2.block_count", GgufBytes.U32(24)).With("qwen2.embedding_length", GgufBytes.U32(896))
                .With("qwen2.attention.head_count", GgufBytes.U32(14)).With("qwen2.attention.head_count_kv", GgufBytes.U32(2)).Build());
            var info = GgufReader.Read(file);
            Assert.Equal(24L * 4096 * 2 * (64 + 64) * 2, ModelMemory.KvCacheBytes(info, 4096)); // 48 MB at 4,096 tokens
            Assert.Null(ModelMemory.KvCacheBytes(info with { Metadata = new Dictionary<string, string> { ["qwen2.block_count"] = "24" } }, 4096));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
