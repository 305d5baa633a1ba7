namespace Planner.Engine.Model;

/// <summary>The attention training takes on this processor, for the set-up lines of the CLI and the hosts.</summary>
public static class TrainingAttention
{
    /// <summary>"Attention (heads 32 or 64 wide): the Engine's fused kernel in 512-bit vectors" (or 256-bit vectors, or
    /// libtorch's where the processor has no vectors for the kernel).</summary>
    public static string Description => $"Attention (heads 32 or 64 wide): {CausalAttentionKernel.Description}.";
}
