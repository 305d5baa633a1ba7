namespace Planner.Engine.Export;

/// <summary>How weight matrices are stored in an exported GGUF (1-D tensors — norms and biases — stay F32, as
/// llama.cpp's own converter does). Values are ggml_type ids.</summary>
public enum GgufDataType : uint
{
    F32 = 0,
    F16 = 1,
    /// <summary>Blocks of 32 weights: one f16 scale (max |w| / 127) then 32 signed bytes — llama.cpp's block_q8_0.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1707", Justification = "The format's own name for the type, as llama.cpp and every GGUF tool print it.")]
    Q8_0 = 8,
}
