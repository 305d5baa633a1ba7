using Planner.Engine.Native;

namespace Planner.Engine.Tests.Native;

public sealed class CpuFeaturesTests
{
    // Abridged /proc/cpuinfo of the two kinds of machine the Engine has been measured on.
    private const string Epyc = """
        processor	: 0
        vendor_id	: AuthenticAMD
        model name	: AMD EPYC
        flags		: fpu vme sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 bmi2 sha_ni

        processor	: 1
        vendor_id	: AuthenticAMD
        model name	: AMD EPYC
        flags		: fpu vme sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 bmi2 sha_ni
        """;

    private const string SapphireRapids = """
        processor	: 0
        vendor_id	: GenuineIntel
        model name	: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz
        flags		: fpu sse sse2 fma avx avx2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16 avx512_fp16 amx_bf16 amx_tile amx_int8
        """;

    [Fact]
    public void An_avx2_only_processor_gets_avx2_kernels_and_no_bfloat16()
    {
        var cpu = CpuFeatures.Parse(Epyc);

        Assert.Equal(new CpuFeatures("AMD EPYC", "AuthenticAMD", Avx2: true, Fma: true, Avx512: false, Avx512Bf16: false, AmxBf16: false), cpu);
        Assert.False(cpu.HasBfloat16);
        Assert.Equal("AVX2", cpu.LibTorchKernels(null));
    }

    [Fact]
    public void An_avx512_processor_with_amx_gets_avx512_kernels_and_bfloat16()
    {
        var cpu = CpuFeatures.Parse(SapphireRapids);

        Assert.Equal("Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz", cpu.Model);
        Assert.True(cpu.Avx512 && cpu.Avx512Bf16 && cpu.AmxBf16 && cpu.HasBfloat16);
        Assert.Equal("AVX512", cpu.LibTorchKernels(null));
        Assert.Equal("AVX2", cpu.LibTorchKernels("avx2"));   // ATEN_CPU_CAPABILITY wins
    }

    // A virtual machine's view of an AMD EPYC of the Zen 5 generation: AVX-512 with BF16, no AMX.
    private const string EpycZen5 = """
        processor	: 0
        vendor_id	: AuthenticAMD
        cpu family	: 26
        model		: 2
        model name	: AMD EPYC
        flags		: fpu sse sse2 fma avx avx2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16 avx512_vnni
        """;

    [Fact]
    public void An_avx512_processor_with_bfloat16_but_no_amx_gets_bfloat16_and_is_named_with_its_family()
    {
        var cpu = CpuFeatures.Parse(EpycZen5);

        Assert.Equal("AMD EPYC, family 26 model 2", cpu.Model);
        Assert.True(cpu.Avx512 && cpu.Avx512Bf16 && cpu.HasBfloat16);
        Assert.False(cpu.AmxBf16);
        Assert.Equal("AVX512", cpu.LibTorchKernels(null));
    }

    [Fact]
    public void Avx512_foundation_alone_is_not_enough_for_the_avx512_kernels()
    {
        var cpu = CpuFeatures.Parse(SapphireRapids.Replace(" avx512bw", "", StringComparison.Ordinal));

        Assert.False(cpu.Avx512);
        Assert.Equal("AVX2", cpu.LibTorchKernels(null));
    }

    [Fact]
    public void This_machine_is_described_with_its_model_and_each_instruction_set()
    {
        var line = CpuFeatures.Current.Describe();

        Assert.StartsWith($"CPU: {CpuFeatures.Current.Model} ({CpuFeatures.Current.Vendor}); AVX2 ", line, StringComparison.Ordinal);
        foreach (var part in new[] { ", AVX-512 ", ", AVX-512 BF16 ", ", AMX ", "libtorch's vector kernels: " })
            Assert.Contains(part, line, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux()) Assert.NotEqual("unknown model", CpuFeatures.Current.Model);
    }
}
