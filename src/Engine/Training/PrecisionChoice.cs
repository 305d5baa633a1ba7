using Planner.Engine.Native;
using TorchSharp;

namespace Planner.Engine.Training;

/// <summary>The precision a run trains in and why, from what was asked (auto, fp32 or bf16), the processor and the
/// device. <see cref="Warning"/> is set when the choice will be slow on this machine.</summary>
public sealed record PrecisionChoice(TrainingPrecision Precision, string Reason, string? Warning = null)
{
    /// <summary>The values <c>--precision</c> and a training request accept.</summary>
    public static readonly IReadOnlyList<string> Names = ["auto", "fp32", "bf16"];

    /// <summary>"float32" or "bfloat16 mixed precision", as the hosts name a precision.</summary>
    public static string Describe(TrainingPrecision precision) =>
        precision == TrainingPrecision.Bf16 ? "bfloat16 mixed precision" : "float32";

    /// <summary>"float32 (this CPU has no AVX-512 BF16 or AMX)": the start line's words.</summary>
    public string Describe() => $"{Describe(Precision)} ({Reason})";

    /// <summary>auto picks bfloat16 on a CPU that multiplies bfloat16 in hardware (AVX-512 BF16 or AMX), float32
    /// elsewhere; on CUDA auto keeps float32 (bfloat16 there is untested; ask for it). fp32 and bf16 are taken as
    /// asked; bf16 on a CPU without hardware bfloat16 runs, correctly, with a warning that it is slower than float32.
    /// <paramref name="saved"/>: a resumed run's precision, which auto keeps.</summary>
    public static PrecisionChoice Resolve(string requested, CpuFeatures cpu, DeviceType device, TrainingPrecision? saved = null)
    {
        var onCpu = device == DeviceType.CPU;
        var hardware = onCpu && cpu.HasBfloat16;
        var slowWarning = onCpu && !cpu.HasBfloat16
            ? "this CPU has no AVX-512 BF16 or AMX, so bfloat16 runs correctly but far slower than float32 here"
            : null;
        switch (requested.Trim().ToLowerInvariant())
        {
            case "fp32":
                return new(TrainingPrecision.Fp32, "as asked");
            case "bf16":
                return new(TrainingPrecision.Bf16, "as asked", slowWarning);
            case "auto" when saved is { } kept:
                return new(kept, "the checkpoint's", kept == TrainingPrecision.Bf16 ? slowWarning : null);
            case "auto" when !onCpu:
                return new(TrainingPrecision.Fp32, $"auto keeps float32 on {device.ToString().ToLowerInvariant()}; bfloat16 there is untested, ask for it with bf16");
            case "auto":
                return hardware
                    ? new(TrainingPrecision.Bf16, $"auto: this CPU has {(cpu.AmxBf16 ? "AMX" : "AVX-512 BF16")}")
                    : new(TrainingPrecision.Fp32, "auto: this CPU has no AVX-512 BF16 or AMX");
            default:
                throw new ArgumentException($"Unknown precision '{requested}'; use auto, fp32 or bf16.");
        }
    }
}
