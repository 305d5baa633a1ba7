using Planner.Engine.Native;
using Planner.Engine.Training;
using TorchSharp;

namespace Planner.Engine.Tests.Training;

/// <summary>Which precision a run trains in, from what was asked, the processor and the device.</summary>
public class PrecisionChoiceTests
{
    private static readonly CpuFeatures Avx2Only = new("AMD EPYC", "AuthenticAMD", Avx2: true, Fma: true, Avx512: false, Avx512Bf16: false, AmxBf16: false);
    private static readonly CpuFeatures Avx512NoBf16 = Avx2Only with { Model = "Intel Xeon (Skylake)", Vendor = "GenuineIntel", Avx512 = true };
    private static readonly CpuFeatures Avx512Bf16 = Avx512NoBf16 with { Model = "Intel Xeon (Cooper Lake)", Avx512Bf16 = true };
    private static readonly CpuFeatures Amx = Avx512Bf16 with { Model = "Intel Xeon (Sapphire Rapids)", AmxBf16 = true };

    [Fact]
    public void Auto_stays_float32_on_a_cpu_without_bfloat16_hardware_and_says_why()
    {
        foreach (var cpu in new[] { Avx2Only, Avx512NoBf16 })
        {
            var choice = PrecisionChoice.Resolve("auto", cpu, DeviceType.CPU);
            Assert.Equal(TrainingPrecision.Fp32, choice.Precision);
            Assert.Equal("float32 (auto: this CPU has no AVX-512 BF16 or AMX)", choice.Describe());
            Assert.Null(choice.Warning);
        }
    }

    [Fact]
    public void Auto_picks_bfloat16_on_a_cpu_with_avx512_bf16_or_amx()
    {
        var cooperLake = PrecisionChoice.Resolve("auto", Avx512Bf16, DeviceType.CPU);
        var sapphireRapids = PrecisionChoice.Resolve("AUTO", Amx, DeviceType.CPU);
        Assert.Equal(TrainingPrecision.Bf16, cooperLake.Precision);
        Assert.Equal(TrainingPrecision.Bf16, sapphireRapids.Precision);
        Assert.Equal("bfloat16 mixed precision (auto: this CPU has AVX-512 BF16)", cooperLake.Describe());
        Assert.Equal("bfloat16 mixed precision (auto: this CPU has AMX)", sapphireRapids.Describe());
        Assert.Null(sapphireRapids.Warning);
    }

    [Fact]
    public void Auto_keeps_float32_on_cuda_whatever_the_cpu()
    {
        var choice = PrecisionChoice.Resolve("auto", Amx, DeviceType.CUDA);
        Assert.Equal(TrainingPrecision.Fp32, choice.Precision);
        Assert.Contains("on cuda", choice.Reason);
    }

    [Fact]
    public void An_explicit_choice_wins_and_bfloat16_without_the_hardware_runs_with_a_warning()
    {
        Assert.Equal(TrainingPrecision.Fp32, PrecisionChoice.Resolve("fp32", Amx, DeviceType.CPU).Precision);
        var slow = PrecisionChoice.Resolve("bf16", Avx2Only, DeviceType.CPU);
        Assert.Equal(TrainingPrecision.Bf16, slow.Precision);
        Assert.Contains("slower than float32", slow.Warning);
        Assert.Null(PrecisionChoice.Resolve("bf16", Amx, DeviceType.CPU).Warning);
        Assert.Null(PrecisionChoice.Resolve("bf16", Avx2Only, DeviceType.CUDA).Warning); // the CPU does not multiply there
    }

    [Fact]
    public void A_resumed_run_keeps_its_checkpoints_precision_under_auto_and_takes_an_explicit_one()
    {
        var kept = PrecisionChoice.Resolve("auto", Avx2Only, DeviceType.CPU, saved: TrainingPrecision.Bf16);
        Assert.Equal(TrainingPrecision.Bf16, kept.Precision);
        Assert.Equal("bfloat16 mixed precision (the checkpoint's)", kept.Describe());
        Assert.NotNull(kept.Warning);
        Assert.Equal(TrainingPrecision.Fp32, PrecisionChoice.Resolve("auto", Amx, DeviceType.CPU, saved: TrainingPrecision.Fp32).Precision);
        Assert.Equal(TrainingPrecision.Fp32, PrecisionChoice.Resolve("fp32", Avx2Only, DeviceType.CPU, saved: TrainingPrecision.Bf16).Precision);
    }

    [Theory]
    [InlineData("fp16")]
    [InlineData("")]
    [InlineData("float32")]
    public void Anything_else_is_refused_naming_the_choices(string requested)
    {
        var refused = Assert.Throws<ArgumentException>(() => PrecisionChoice.Resolve(requested, Avx2Only, DeviceType.CPU));
        Assert.Equal($"Unknown precision '{requested}'; use auto, fp32 or bf16.", refused.Message);
    }
}
