using Planner.Engine.Export;
using Planner.Engine.Model;

namespace Planner.Tests.Llm;

/// <summary>A real GGUF for tests, made by the Engine's own export: a random-weight GPT-2 with one tiny layer, the full
/// GPT-2 tokenizer and a 256-token context. Written once per test run.</summary>
public static class TinyModel
{
    private static readonly Lazy<string> Path = new(() =>
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "planner-tiny-model", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = System.IO.Path.Combine(folder, "tiny.gguf");
        using var model = new Gpt(new GptConfig(GptConfig.Gpt2VocabSize, 256, Layers: 1, Heads: 2, Embedding: 32), seed: 7);
        GgufExporter.Export(model, file, GgufDataType.F32, "tiny-test");
        return file;
    });

    public static string File => Path.Value;

    /// <summary>The same shape with a 1,024-token context: room for drafting prompts and their JSON replies.</summary>
    private static readonly Lazy<string> WidePath = new(() =>
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "planner-tiny-model", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = System.IO.Path.Combine(folder, "tiny-1024.gguf");
        using var model = new Gpt(new GptConfig(GptConfig.Gpt2VocabSize, 1024, Layers: 1, Heads: 2, Embedding: 32), seed: 8);
        GgufExporter.Export(model, file, GgufDataType.F32, "tiny-test-1024");
        return file;
    });

    public static string Wide => WidePath.Value;
}
