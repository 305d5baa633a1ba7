using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace Planner.Engine.Training;

/// <summary>Lets the Intel Math Kernel Library inside libtorch (its CPU matrix multiplies) use its fast code paths on a
/// processor that is not Intel's. MKL picks kernels by instruction set only after asking mkl_serv_intel_cpu_true;
/// on an AMD processor the answer is no and it falls back to generic kernels. libtorch calls that function through a
/// jump slot of its own, so writing the address of a function that answers yes into that slot is the same
/// interposition as the well-known LD_PRELOAD library, done from inside the process: MKL still chooses among the
/// instruction sets the processor reports (CPUID), so nothing runs that the processor lacks. On the 2-core AMD EPYC
/// (AVX2) build machine the model's multiplies run 25–35 % faster and gpt2-shape training about a third faster
/// (bench/Engine.Bench prints it side by side). MKL settles its kernels at its first multiply, so this must run
/// before any: <see cref="Model.Gpt"/>'s static constructor calls it. Set <see cref="Setting"/> to "keep" to leave
/// MKL's choice alone.</summary>
public static class MklDispatch
{
    /// <summary>The environment variable that, set to "keep", leaves MKL's vendor check as it is.</summary>
    public const string Setting = "PLANNER_MKL_VENDOR_CHECK";

    private const string CheckFunction = "mkl_serv_intel_cpu_true";
    private static readonly Lazy<MklDispatchStatus> Once = new(() => Apply(Environment.GetEnvironmentVariable(Setting)));
    private static nint exportAddress;
    private static nint[] slotAddresses = [];

    /// <summary>Interposes MKL's vendor check once per process (later calls return the first outcome).</summary>
    public static MklDispatchStatus Apply() => Once.Value;

    internal static MklDispatchStatus Apply(string? setting)
    {
        if (string.Equals(setting, "keep", StringComparison.OrdinalIgnoreCase))
            return new(MklDispatchOutcome.Kept, $"MKL chooses its own kernels ({Setting}=keep).");
        if (!string.IsNullOrEmpty(setting))
            return new(MklDispatchOutcome.Kept, $"{Setting}={setting} is not understood (the one value is 'keep'); MKL chooses its own kernels.");
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return new(MklDispatchOutcome.Unavailable, "MKL's vendor check is only interposed on Linux x64.");
        _ = TorchSharp.torch.get_num_threads(); // loads libtorch if nothing has yet
        var path = LibtorchFile();
        if (path is null) return new(MklDispatchOutcome.Unavailable, "libtorch's CPU library is not loaded.");
        if (!NativeLibrary.TryLoad(path, out var handle)) return new(MklDispatchOutcome.Unavailable, $"{path} could not be opened.");
        try
        {
            if (!NativeLibrary.TryGetExport(handle, CheckFunction, out var export))
                return new(MklDispatchOutcome.Unavailable, "This libtorch is built without MKL.");
            exportAddress = export;
            if (AnswerOfMkl() == 1) return new(MklDispatchOutcome.NotNeeded, $"MKL recognises this {Vendor()} processor.");
            ElfJumpSlots layout;
            try
            {
                layout = ElfJumpSlots.Read(path, CheckFunction);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                return new(MklDispatchOutcome.Unavailable, e.Message);
            }
            return Interpose(layout, (ulong)export - layout.SymbolValue, export);
        }
        finally
        {
            NativeLibrary.Free(handle); // the library stays loaded: TorchSharp holds it too
        }
    }

    private static unsafe MklDispatchStatus Interpose(ElfJumpSlots layout, ulong loadBase, nint export)
    {
        if (layout.Slots.Count == 0) return new(MklDispatchOutcome.Unavailable, "libtorch calls MKL's vendor check without a jump slot.");
        var answer = (nint)(delegate* unmanaged[Cdecl]<int>)&AnswerYes;
        var addresses = layout.Slots.Select(s => (nint)(loadBase + s)).ToArray();
        foreach (var (slot, address) in layout.Slots.Zip(addresses))
        {
            if (!layout.IsWritable(slot)) return new(MklDispatchOutcome.Unavailable, "libtorch's jump slots are read-only once loaded (bound at load time).");
            var current = Marshal.ReadIntPtr(address);
            // Unbound (the lazy stub inside the library) or bound to MKL's function: anything else means another
            // library already answers the check, and it is left alone.
            var insideLibrary = (ulong)current >= loadBase && (ulong)current < loadBase + layout.ImageEnd;
            if (current != export && current != answer && !insideLibrary)
                return new(MklDispatchOutcome.Unavailable, "Another library already answers MKL's vendor check (LD_PRELOAD?); left as it is.");
        }
        foreach (var address in addresses) Marshal.WriteIntPtr(address, answer);
        slotAddresses = addresses;
        return new(MklDispatchOutcome.Interposed,
            $"MKL runs its kernels for Intel processors on this {Vendor()} one (its vendor check said no; {Setting}=keep leaves it).");
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int AnswerYes() => 1;

    /// <summary>MKL's own answer (1: an Intel processor); null before libtorch's MKL was found.</summary>
    internal static unsafe int? AnswerOfMkl() => exportAddress == 0 ? null : ((delegate* unmanaged[Cdecl]<int>)exportAddress)();

    /// <summary>The file of libtorch's CPU library once loaded (Linux).</summary>
    internal static string? LibtorchFile() => LoadedLibrary("libtorch_cpu.so");

    /// <summary>The answers libtorch's calls now get, one per jump slot (empty unless interposed).</summary>
    internal static unsafe int[] AnswersThroughSlots() =>
        [.. slotAddresses.Select(a => ((delegate* unmanaged[Cdecl]<int>)Marshal.ReadIntPtr(a))())];

    /// <summary>The file of a loaded library whose name is <paramref name="fileName"/>, from the process's memory map.</summary>
    private static string? LoadedLibrary(string fileName) =>
        File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 6 && fields[5].StartsWith('/') && Path.GetFileName(fields[5]) == fileName)
            .Select(fields => fields[5])
            .FirstOrDefault();

    private static string Vendor()
    {
        if (!X86Base.IsSupported) return "non-x86";
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        var bytes = new byte[12];
        BitConverter.TryWriteBytes(bytes.AsSpan(0), ebx);
        BitConverter.TryWriteBytes(bytes.AsSpan(4), edx);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), ecx);
        return Encoding.ASCII.GetString(bytes);
    }
}
