using System.Buffers.Binary;
using System.Text;

namespace Planner.Engine.Native;

/// <summary>Where a 64-bit little-endian ELF shared library keeps the addresses its own calls to one exported function
/// go through (the function's R_X86_64_JUMP_SLOT entries in .rela.plt), read from the file on disk. The dynamic linker
/// fills those slots; writing another address into them is what LD_PRELOAD's interposition amounts to, for this one
/// function, after the library is loaded. Addresses are relative to the library's load base.</summary>
internal sealed record ElfJumpSlots(ulong SymbolValue, IReadOnlyList<ulong> Slots, ulong ImageEnd,
    IReadOnlyList<(ulong Start, ulong End)> Writable, IReadOnlyList<(ulong Start, ulong End)> ReadOnlyAfterRelocation)
{
    private const ushort MachineX8664 = 62;
    private const uint SectionDynamicSymbols = 11, SectionRela = 4;
    private const uint ProgramLoad = 1, ProgramRelro = 0x6474e552, FlagWrite = 2;
    private const uint RelocationJumpSlot = 7;
    private const long MostSectionBytes = 256L << 20; // a sanity bound: libtorch's largest (.dynstr) is 7 MB

    /// <summary>True when the slot at <paramref name="slot"/> may be written: inside a writable segment and outside
    /// the part the dynamic linker makes read-only after relocating (RELRO, all of the GOT when bound at load).</summary>
    public bool IsWritable(ulong slot) =>
        Writable.Any(r => slot >= r.Start && slot + 8 <= r.End) && !ReadOnlyAfterRelocation.Any(r => slot + 8 > r.Start && slot < r.End);

    /// <summary>Reads <paramref name="symbol"/>'s value and jump slots from <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not a 64-bit little-endian x86-64 ELF file, truncated, or without a
    /// defined function of that name.</exception>
    public static ElfJumpSlots Read(string path, string symbol)
    {
        using var file = File.OpenHandle(path);
        var length = RandomAccess.GetLength(file);
        byte[] Bytes(ulong offset, ulong count)
        {
            if (count > (ulong)MostSectionBytes || offset > (ulong)length || count > (ulong)length - offset)
                throw new InvalidDataException($"{Path.GetFileName(path)} is truncated or not a valid ELF file (a table lies outside it).");
            var bytes = new byte[count];
            if (RandomAccess.Read(file, bytes, (long)offset) != (int)count) throw new InvalidDataException($"{Path.GetFileName(path)} could not be read whole.");
            return bytes;
        }

        var header = Bytes(0, 64);
        if (header[0] != 0x7F || header[1] != 'E' || header[2] != 'L' || header[3] != 'F' || header[4] != 2 || header[5] != 1 ||
            U16(header, 0x12) != MachineX8664)
            throw new InvalidDataException($"{Path.GetFileName(path)} is not a 64-bit x86-64 ELF library.");
        var (programOffset, sectionOffset) = (U64(header, 0x20), U64(header, 0x28));
        var (programSize, programCount, sectionSize, sectionCount, namesIndex) =
            (U16(header, 0x36), U16(header, 0x38), U16(header, 0x3A), U16(header, 0x3C), U16(header, 0x3E));
        if (programSize != 56 || sectionSize != 64 || namesIndex >= sectionCount)
            throw new InvalidDataException($"{Path.GetFileName(path)} has ELF tables of an unexpected shape.");

        var programs = Bytes(programOffset, (ulong)programSize * programCount);
        var writable = new List<(ulong, ulong)>();
        var relro = new List<(ulong, ulong)>();
        ulong imageEnd = 0;
        for (var i = 0; i < programCount; i++)
        {
            var p = programs.AsSpan(i * programSize, programSize);
            var (type, flags, address, memorySize) = (U32(p, 0), U32(p, 4), U64(p, 0x10), U64(p, 0x28));
            if (type == ProgramLoad)
            {
                imageEnd = Math.Max(imageEnd, address + memorySize);
                if ((flags & FlagWrite) != 0) writable.Add((address, address + memorySize));
            }
            else if (type == ProgramRelro) relro.Add((address, address + memorySize));
        }

        var sections = Bytes(sectionOffset, (ulong)sectionSize * sectionCount);
        Span<byte> Section(int index) => sections.AsSpan(index * sectionSize, sectionSize);
        var sectionNames = Bytes(U64(Section(namesIndex), 0x18), U64(Section(namesIndex), 0x20));
        var symbolsIndex = Enumerable.Range(0, sectionCount).FirstOrDefault(i => U32(Section(i), 4) == SectionDynamicSymbols, -1);
        if (symbolsIndex < 0) throw new InvalidDataException($"{Path.GetFileName(path)} has no dynamic symbol table.");
        var stringsLink = U32(Section(symbolsIndex), 0x28);
        if (stringsLink >= sectionCount) throw new InvalidDataException($"{Path.GetFileName(path)} names a missing string table.");
        var stringsIndex = (int)stringsLink;
        var symbols = Bytes(U64(Section(symbolsIndex), 0x18), U64(Section(symbolsIndex), 0x20));
        var strings = Bytes(U64(Section(stringsIndex), 0x18), U64(Section(stringsIndex), 0x20));

        var wanted = Encoding.ASCII.GetBytes(symbol + "\0");
        long symbolIndex = -1;
        ulong value = 0;
        for (var i = 0; i + 24 <= symbols.Length; i += 24)
        {
            var name = U32(symbols, i);
            if (name + (ulong)wanted.Length > (ulong)strings.Length || !strings.AsSpan((int)name, wanted.Length).SequenceEqual(wanted)) continue;
            var (kind, sectionOfSymbol) = (symbols[i + 4] & 0xF, U16(symbols, i + 6));
            if (kind == 2 && sectionOfSymbol != 0) // a function defined in this library
            {
                (symbolIndex, value) = (i / 24, U64(symbols, i + 8));
                break;
            }
        }
        if (symbolIndex < 0) throw new InvalidDataException($"{Path.GetFileName(path)} defines no function {symbol}.");

        var slots = new List<ulong>();
        for (var s = 0; s < sectionCount; s++)
        {
            var section = Section(s);
            if (U32(section, 4) != SectionRela || U32(section, 0x28) != symbolsIndex || SectionName(sectionNames, U32(section, 0)) != ".rela.plt") continue;
            var relocations = Bytes(U64(section, 0x18), U64(section, 0x20));
            for (var r = 0; r + 24 <= relocations.Length; r += 24)
            {
                var info = U64(relocations, r + 8);
                if ((long)(info >> 32) == symbolIndex && (info & 0xFFFFFFFF) == RelocationJumpSlot) slots.Add(U64(relocations, r));
            }
        }
        return new ElfJumpSlots(value, slots, imageEnd, writable, relro);
    }

    private static string SectionName(byte[] names, uint offset)
    {
        if (offset >= names.Length) return "";
        var end = Array.IndexOf(names, (byte)0, (int)offset);
        return Encoding.ASCII.GetString(names, (int)offset, (end < 0 ? names.Length : end) - (int)offset);
    }

    private static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);
    private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
    private static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
}
