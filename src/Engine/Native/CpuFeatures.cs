using System.Runtime.Intrinsics.X86;

namespace Planner.Engine.Native;

/// <summary>The processor this process runs on and the instruction sets that decide the Engine's speed: AVX2 and FMA
/// (libtorch's and MKL's float32 kernels on most machines), AVX-512 (wider kernels), and AVX-512 BF16 or AMX
/// (bfloat16 matrix arithmetic in hardware). Read from the operating system's own report (/proc/cpuinfo on Linux),
/// else from what .NET detects (which does not know the bfloat16 extensions or the model name).</summary>
public sealed record CpuFeatures(string Model, string Vendor, bool Avx2, bool Fma, bool Avx512, bool Avx512Bf16, bool AmxBf16)
{
    /// <summary>ATen's variable that forces its vector kernels (DEFAULT, AVX2, AVX512).</summary>
    public const string KernelOverrideVariable = "ATEN_CPU_CAPABILITY";

    /// <summary>The AVX-512 subsets ATen asks for before it runs its AVX512 kernels (before <see cref="Current"/>, which reads them).</summary>
    private static readonly string[] Avx512Flags = ["avx512f", "avx512bw", "avx512vl", "avx512dq"];

    /// <summary>This machine's processor, read once.</summary>
    public static CpuFeatures Current { get; } = Read();

    /// <summary>Whether the processor computes bfloat16 matrix products in hardware.</summary>
    public bool HasBfloat16 => Avx512Bf16 || AmxBf16;

    /// <summary>libtorch's vector kernels for this processor, by ATen's rule: AVX512 with AVX-512 (F, BW, VL, DQ), else
    /// AVX2 with AVX2 and FMA, else DEFAULT; <see cref="KernelOverrideVariable"/>, when set, wins.</summary>
    public string LibTorchKernels(string? overrideValue) =>
        !string.IsNullOrWhiteSpace(overrideValue) ? overrideValue.Trim().ToUpperInvariant()
        : Avx512 ? "AVX512" : Avx2 && Fma ? "AVX2" : "DEFAULT";

    /// <summary>One line for the bench and <c>planner train</c>: "CPU: AMD EPYC (AuthenticAMD); AVX2 yes, AVX-512 no,
    /// AVX-512 BF16 no, AMX no. libtorch's vector kernels: AVX2."</summary>
    public string Describe()
    {
        static string YesNo(bool b) => b ? "yes" : "no";
        var forced = Environment.GetEnvironmentVariable(KernelOverrideVariable);
        return $"CPU: {Model} ({Vendor}); AVX2 {YesNo(Avx2 && Fma)}, AVX-512 {YesNo(Avx512)}, AVX-512 BF16 {YesNo(Avx512Bf16)}, AMX {YesNo(AmxBf16)}. " +
               $"libtorch's vector kernels: {LibTorchKernels(forced)}" +
               (string.IsNullOrWhiteSpace(forced) ? " (ATen's choice for these instruction sets)." : $" (forced by {KernelOverrideVariable}).");
    }

    /// <summary>The first processor's model name (with its family and model numbers when given), vendor and flags in
    /// /proc/cpuinfo's format.</summary>
    public static CpuFeatures Parse(string cpuinfo)
    {
        string? Field(string name) => cpuinfo.Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[0].Trim() == name)
            .Select(parts => parts[1].Trim())
            .FirstOrDefault();
        var flags = (Field("flags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        // A virtual machine may name only the line ("AMD EPYC"); the family and model tell its generations apart.
        var generation = Field("cpu family") is { } family && Field("model") is { } number ? $", family {family} model {number}" : "";
        return new CpuFeatures((Field("model name") ?? "unknown model") + generation, Field("vendor_id") ?? "unknown vendor",
            flags.Contains("avx2"), flags.Contains("fma"),
            Avx512Flags.All(flags.Contains),
            flags.Contains("avx512_bf16"), flags.Contains("amx_bf16"));
    }

    private static CpuFeatures Read()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (OperatingSystem.IsLinux() && File.Exists(cpuinfo))
        {
            try { return Parse(File.ReadAllText(cpuinfo)); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return new CpuFeatures("unknown model", "unknown vendor", System.Runtime.Intrinsics.X86.Avx2.IsSupported, System.Runtime.Intrinsics.X86.Fma.IsSupported,
            Avx512F.IsSupported && Avx512BW.IsSupported && Avx512F.VL.IsSupported && Avx512DQ.IsSupported, false, false);
    }
}
