using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace Planner.Engine.Native;

/// <summary>Lets the Intel Math Kernel Library inside libtorch (its CPU matrix multiplies) use its fast code paths on a
/// processor that is not Intel's. MKL picks kernels by instruction set only after asking mkl_serv_intel_cpu_true;
/// on an AMD processor the answer is no and it falls back to generic kernels. libtorch calls that function through a
/// jump slot of its own, so writing the address of a function that answers yes into that slot is the same
/// interposition as the well-known LD_PRELOAD library, done from inside the process: MKL still chooses among the
/// instruction sets the processor reports (CPUID), so nothing runs that the processor lacks. The Engine bench prints
/// the difference side by side. MKL settles its kernels at its first multiply, so a host applies this at start-up,
/// before any (<see cref="EngineNative.Apply"/>), from its configuration; nothing in the Engine applies it on its own.</summary>
public static class MklDispatch
{
    private const string CheckFunction = "mkl_serv_intel_cpu_true";
    private const string LibraryFile = "libtorch_cpu.so";

    private static readonly Lock Gate = new();
    private static MklDispatchStatus? applied;

    private static nint exportAddress;
    private static nint[] slotAddresses = [];

    /// <summary>What the first call decided for this process; null before any.</summary>
    public static MklDispatchStatus? Status
    {
        get { lock (Gate) return applied; }
    }

    /// <summary>Interposes MKL's vendor check (<paramref name="interpose"/>) or leaves it, once per process: later calls
    /// return the first outcome, whatever they ask. An optional speed-up never stops a host from starting: whatever goes
    /// wrong leaves MKL as it is and says why.</summary>
    /// <param name="setting">The setting that decided (named in the outcome's words).</param>
    public static MklDispatchStatus Apply(bool interpose, string setting = EngineNativeOptions.MklVendorCheckKey)
    {
        lock (Gate)
        {
            if (applied is not null) return applied;
            try
            {
                applied = interpose
                    ? Interpose(setting)
                    : new(MklDispatchOutcome.Kept, $"MKL chooses its own kernels ({setting}=keep).");
            }
            catch (Exception e)
            {
                applied = new(MklDispatchOutcome.Unavailable, $"MKL's vendor check was left as it is ({e.GetType().Name}: {e.Message}).");
            }
            return applied;
        }
    }

    private static MklDispatchStatus Interpose(string setting)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return new(MklDispatchOutcome.Unavailable, "MKL's vendor check is only interposed on Linux x64.");
        _ = TorchSharp.torch.get_num_threads(); // loads libtorch if nothing has yet
        var mappings = LibtorchMappings();
        if (mappings.Count == 0) return new(MklDispatchOutcome.Unavailable, "libtorch's CPU library is not loaded.");
        var path = mappings[0].File;
        if (path.EndsWith(" (deleted)", StringComparison.Ordinal))
            return new(MklDispatchOutcome.Unavailable, "libtorch's CPU library was replaced on disk after it was loaded; MKL's vendor check was left as it is.");
        mappings = [.. mappings.Where(m => m.File == path)]; // the copy loaded first, should there be two
        if (!NativeLibrary.TryLoad(path, out var handle)) return new(MklDispatchOutcome.Unavailable, $"{path} could not be opened.");
        try
        {
            if (!NativeLibrary.TryGetExport(handle, CheckFunction, out var export))
                return new(MklDispatchOutcome.Unavailable, $"This libtorch exports no {CheckFunction} (built without MKL, or with its symbols hidden).");
            exportAddress = export;
            if (AnswerOfMkl() == 1) return new(MklDispatchOutcome.NotNeeded, $"MKL recognises this {Vendor()} processor.");
            // A library in the global scope (LD_PRELOAD) that defines the check answers libtorch's calls already.
            if (NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), CheckFunction, out var global) && global != export)
                return new(MklDispatchOutcome.Unavailable, "Another library already answers MKL's vendor check (LD_PRELOAD?); left as it is.");
            ElfJumpSlots layout;
            try
            {
                layout = ElfJumpSlots.Read(path, CheckFunction);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                return new(MklDispatchOutcome.Unavailable, e.Message);
            }
            var loadBase = (ulong)export - layout.SymbolValue;
            // The file read must be the image mapped: its start (file offset 0) at the base the export implies.
            if (!mappings.Any(m => m.Offset == 0 && m.Start == loadBase))
                return new(MklDispatchOutcome.Unavailable, $"{path} on disk does not match the library in memory; MKL's vendor check was left as it is.");
            return Interpose(layout, loadBase, export, mappings, setting);
        }
        finally
        {
            NativeLibrary.Free(handle); // the library stays loaded: TorchSharp holds it too
        }
    }

    private static MklDispatchStatus Interpose(ElfJumpSlots layout, ulong loadBase, nint export, IReadOnlyList<Mapping> mappings, string setting)
    {
        if (layout.Slots.Count == 0) return new(MklDispatchOutcome.Unavailable, "libtorch calls MKL's vendor check without a jump slot.");
        var addresses = layout.Slots.Select(s => (nint)(loadBase + s)).ToArray();
        var unbound = new List<nint>();
        foreach (var (slot, address) in layout.Slots.Zip(addresses))
        {
            // Writable by the file's program headers and, page-exact, by the live mapping.
            if (!layout.IsWritable(slot) || !mappings.Any(m => (ulong)address >= m.Start && (ulong)address + 8 <= m.End && m.Permissions.StartsWith("rw", StringComparison.Ordinal)))
                return new(MklDispatchOutcome.Unavailable, "libtorch's jump slots are read-only once loaded (bound at load time).");
            var current = Marshal.ReadIntPtr(address);
            unbound.Add(current);
            // Still the lazy-binding stub inside the library: MKL has not asked yet. Bound to MKL's function, it has,
            // and has chosen its kernels (a multiply ran before the first model); anything else is another library's.
            if (current == export)
                return new(MklDispatchOutcome.Unavailable, "MKL chose its kernels before the host applied its setting (a matrix multiply ran first); left as it is.");
            if ((ulong)current < loadBase || (ulong)current >= loadBase + layout.ImageEnd)
                return new(MklDispatchOutcome.Unavailable, "Another library already answers MKL's vendor check; left as it is.");
        }
        var answer = AnswerYes.Value;
        if (answer == 0) return new(MklDispatchOutcome.Unavailable, "No executable page could be made for the answer (the system forbids it); MKL's vendor check was left as it is.");
        // Only where the slot still holds what was checked: a multiply on another thread may have bound it since.
        foreach (var (address, index) in addresses.Select((a, i) => (a, i)))
            if (Swap(address, answer, unbound[index]) != unbound[index])
                return new(MklDispatchOutcome.Unavailable, "MKL chose its kernels while the vendor check was being interposed (a matrix multiply ran at the same time); left as it is.");
        slotAddresses = addresses;
        return new(MklDispatchOutcome.Interposed,
            $"MKL runs its kernels for Intel processors on this {Vendor()} one (its vendor check said no; {setting}=keep leaves it).");
    }

    private static unsafe nint Swap(nint address, nint value, nint expected) => Interlocked.CompareExchange(ref *(nint*)address, value, expected);

    /// <summary>The yes-answer as machine code on a page of its own (mov eax, 1; ret): native, so MKL's threads never
    /// call into the .NET runtime, not even while the process exits. 0 where no executable page can be made.</summary>
    private static readonly Lazy<nint> AnswerYes = new(() =>
    {
        const int Read = 1, Write = 2, Execute = 4, Private = 2, Anonymous = 0x20;
        byte[] code = [0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3];
        var page = mmap(0, 4096, Read | Write, Private | Anonymous, -1, 0);
        if (page == -1) return 0;
        Marshal.Copy(code, 0, page, code.Length);
        if (mprotect(page, 4096, Read | Execute) == 0) return page;
        _ = munmap(page, 4096);
        return 0;
    });

    /// <summary>MKL's own answer (1: an Intel processor); null before libtorch's MKL was found.</summary>
    internal static unsafe int? AnswerOfMkl() => exportAddress == 0 ? null : ((delegate* unmanaged[Cdecl]<int>)exportAddress)();

    /// <summary>The answers libtorch's calls now get, one per jump slot (empty unless interposed).</summary>
    internal static unsafe int[] AnswersThroughSlots() =>
        [.. slotAddresses.Select(a => ((delegate* unmanaged[Cdecl]<int>)Marshal.ReadIntPtr(a))())];

    /// <summary>The file of libtorch's CPU library once loaded (Linux).</summary>
    internal static string? LibtorchFile() => LibtorchMappings().FirstOrDefault()?.File;

    /// <summary>An export of libtorch's CPU library or of a library it loads (its handle searches its dependencies), on
    /// Linux; libtorch is loaded first if nothing has yet. Null where it cannot be found.</summary>
    internal static nint? LibtorchExport(string name)
    {
        if (!OperatingSystem.IsLinux()) return null;
        _ = TorchSharp.torch.get_num_threads(); // loads libtorch if nothing has yet
        if (LibtorchFile() is not { } file || file.EndsWith(" (deleted)", StringComparison.Ordinal)) return null;
        if (!NativeLibrary.TryLoad(file, out var handle)) return null; // kept: libtorch stays loaded for the process anyway
        return NativeLibrary.TryGetExport(handle, name, out var export) ? export : null;
    }

    /// <summary>The mappings of libtorch's CPU library, also when its file was replaced since (" (deleted)").</summary>
    private static List<Mapping> LibtorchMappings() =>
        [.. MemoryMap().Where(m => Path.GetFileName(m.File) == LibraryFile || m.File.EndsWith($"/{LibraryFile} (deleted)", StringComparison.Ordinal))];

    private sealed record Mapping(ulong Start, ulong End, string Permissions, ulong Offset, string File);

    /// <summary>The process's file mappings (/proc/self/maps: "start-end perms offset dev inode path").</summary>
    private static IEnumerable<Mapping> MemoryMap() =>
        File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 6 && f[5].StartsWith('/'))
            .Select(f =>
            {
                var range = f[0].Split('-');
                return new Mapping(Hex(range[0]), Hex(range[1]), f[1], Hex(f[2]), f[5]);
            });

    private static ulong Hex(string value) => ulong.Parse(value, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    [DllImport("libc", SetLastError = true)]
    private static extern nint mmap(nint address, nuint length, int protection, int flags, int file, nint offset);

    [DllImport("libc", SetLastError = true)]
    private static extern int mprotect(nint address, nuint length, int protection);

    [DllImport("libc", SetLastError = true)]
    private static extern int munmap(nint address, nuint length);

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
