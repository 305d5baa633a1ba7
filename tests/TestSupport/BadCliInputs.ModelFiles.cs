namespace Planner.TestSupport;

public static partial class BadCliInputs
{
    /// <summary>Hostile model files given to the CLI.</summary>
    private static Dictionary<string, BadCliCase> ModelFileCases => new()
    {
        ["model: GGUF arrays nested 300,000 deep"] = Generate("nested.gguf", "has an array of arrays in 'general.deep' (llama.cpp refuses them): the file is corrupt."),
        ["model: GGUF array of arrays"] = Generate("array-of-arrays.gguf", "has an array of arrays in 'tokenizer.ggml.merges' (llama.cpp refuses them): the file is corrupt."),
        ["model: GGUF context length 0"] = Generate("context-0.gguf", "declares a context of 0 tokens; a usable model has 16 to 1,048,576."),
        ["model: GGUF context length 1"] = Generate("context-1.gguf", "declares a context of 1 tokens; a usable model has 16 to 1,048,576."),
        ["model: GGUF negative context length"] = Generate("context-negative.gguf", "declares a context of -1 tokens; a usable model has 16 to 1,048,576."),
        ["model: GGUF metadata count overflow"] = Generate("kv-count.gguf", "declares 0 tensors and -1 metadata entries: not a plausible model."),
        ["model: GGUF string length overflow"] = Generate("string-length.gguf", "declares a key of -1 bytes: the file is truncated or corrupt."),
        ["model: safetensors overlapping offsets"] = Train("planner: @overlap.safetensors is corrupted: tensor 'b' (bytes 4..12) overlaps the tensor before it.", "--init", "@overlap.safetensors"),
        ["model: safetensors hole between tensors"] = Train("planner: @hole.safetensors is corrupted: tensor 'b' starts at byte 12, leaving bytes 8..12 to no tensor.", "--init", "@hole.safetensors"),
        ["model: safetensors offsets summing past 2^63"] = Train("planner: @offset-overflow.safetensors is truncated: its tensors need", "--init", "@offset-overflow.safetensors"),
        ["model: safetensors begin after end"] = Train("planner: @backwards.safetensors is corrupted: tensor 'a' has data offsets that run backwards (16..0).", "--init", "@backwards.safetensors"),
    };
}
