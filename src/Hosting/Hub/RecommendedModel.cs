namespace Planner.Hosting.Hub;

/// <summary>A model the Models page offers with one click: where it is on the hub, what it is good for, its size in
/// parameters and its licence. The download size is asked from the hub when the page shows it (never assumed).</summary>
public sealed record RecommendedModel(string Title, string Repository, string File, string Parameters, string Licence, string GoodFor)
{
    public bool IsTrainingBase => File.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);

    /// <summary>Small instruct models in GGUF that the bundled llama.cpp runs on a CPU, with a chat template in their
    /// metadata, smallest first; and the pretrained GPT-2 to fine-tune from. Repositories and file names as their
    /// publishers name them; a file the hub no longer has is reported as such on the page.</summary>
    public static IReadOnlyList<RecommendedModel> All { get; } =
    [
        new("Qwen2.5 0.5B Instruct (Q8_0)", "Qwen/Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct-q8_0.gguf", "0.5B", "Apache-2.0",
            "quick answers and tool calls on any CPU; drafts are short"),
        new("Qwen2.5 1.5B Instruct (Q4_K_M)", "Qwen/Qwen2.5-1.5B-Instruct-GGUF", "qwen2.5-1.5b-instruct-q4_k_m.gguf", "1.5B", "Apache-2.0",
            "drafting and scenario chat on a laptop CPU"),
        new("Qwen2.5 3B Instruct (Q4_K_M)", "Qwen/Qwen2.5-3B-Instruct-GGUF", "qwen2.5-3b-instruct-q4_k_m.gguf", "3B", "Qwen Research",
            "better drafts; slower on a CPU"),
        new("Llama 3.2 3B Instruct (Q4_K_M)", "bartowski/Llama-3.2-3B-Instruct-GGUF", "Llama-3.2-3B-Instruct-Q4_K_M.gguf", "3B", "Llama 3.2 Community",
            "drafting and chat; an alternative to Qwen"),
        new("Phi-3 mini 4k Instruct (Q4)", "microsoft/Phi-3-mini-4k-instruct-gguf", "Phi-3-mini-4k-instruct-q4.gguf", "3.8B", "MIT",
            "reasoning about the plan; a 4,096-token context"),
        new("GPT-2 (124M, pretrained)", "openai-community/gpt2", "model.safetensors", "124M", "MIT",
            "the base to fine-tune on your documents (Training → Start from)"),
    ];
}
