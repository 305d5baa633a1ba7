using System.Diagnostics.CodeAnalysis;

namespace Planner.Hosting.Training;

/// <summary>The weight types a trained model is exported in. F32, F16 and Q8_0 are written by the Engine's own GGUF
/// writer; the k-quants (Q4_K_M, Q5_K_M) are made from its F16 file by llama.cpp's quantiser, which keeps a type per
/// tensor (a tensor whose rows are not a multiple of 256 falls back to a legacy type).</summary>
[SuppressMessage("Naming", "CA1707", Justification = "The formats' own names, as llama.cpp and every GGUF tool print them.")]
public enum ModelFileType
{
    F32,
    F16,
    Q8_0,
    Q4_K_M,
    Q5_K_M,
}
