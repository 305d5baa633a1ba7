namespace Planner.Llm;

/// <summary>What a GGUF model file says about itself, read from its header without loading any weights.</summary>
public sealed record GgufInfo(
    string Path,
    long SizeBytes,
    int Version,
    string? Architecture,
    string? Name,
    long Parameters,
    int? ContextLength,
    string Quantization,
    bool HasChatTemplate,
    IReadOnlyDictionary<string, string> Metadata)
{
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The tensors' names, in the file's order.</summary>
    public IReadOnlyList<string> TensorNames { get; init; } = [];
}
