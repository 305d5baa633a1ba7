using Planner.Engine.Export;
using Planner.Engine.Model;

namespace Planner.TestSupport;

/// <summary>A real GGUF for tests, made by the Engine's own export: a random-weight GPT-2 with one tiny layer, the full
/// GPT-2 tokenizer and a 256-token context. Written once per test run.</summary>
public static class TinyModel
{
    private static readonly Lazy<string> Path = new(() => Make(256, seed: 7, "tiny.gguf", "tiny-test"));

    public static string File => Path.Value;

    /// <summary>The same shape with a 1,024-token context: room for drafting prompts and their JSON replies.</summary>
    private static readonly Lazy<string> WidePath = new(() => Make(1024, seed: 8, "tiny-1024.gguf", "tiny-test-1024"));

    private static string Make(int context, int seed, string fileName, string name)
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "planner-tiny-model", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return Write(System.IO.Path.Combine(folder, fileName), name, context, seed);
    }

    /// <summary>Writes a GGUF of this tiny shape to <paramref name="file"/> (its folder must exist) and returns the path.</summary>
    public static string Write(string file, string name, int context = 256, int seed = 7, GgufDataType type = GgufDataType.F32)
    {
        using var model = new Gpt(new GptConfig(GptConfig.Gpt2VocabSize, context, Layers: 1, Heads: 2, Embedding: 32), seed: seed);
        GgufExporter.Export(model, file, type, name);
        return file;
    }

    public static string Wide => WidePath.Value;
}
