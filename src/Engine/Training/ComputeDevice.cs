using static TorchSharp.torch;

namespace Planner.Engine.Training;

/// <summary>Chooses where tensors live: "cpu", "cuda", or "auto" (CUDA when TorchSharp's CUDA backend is installed).</summary>
public static class ComputeDevice
{
    public static Device Resolve(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => CPU,
        "cuda" => cuda.is_available() ? CUDA : throw new ArgumentException("CUDA was requested but TorchSharp's CUDA backend is not installed (this build ships the CPU libtorch)."),
        "auto" => cuda.is_available() ? CUDA : CPU,
        _ => throw new ArgumentException($"Unknown device '{name}'; use auto, cpu or cuda."),
    };
}
