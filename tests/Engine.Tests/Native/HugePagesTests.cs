using System.Net.Sockets;
using Planner.Engine.Native;

namespace Planner.Engine.Tests.Native;

public class HugePagesTests
{
    private static readonly string[] Cleared = ["GLIBC_TUNABLES", HugePages.SettingVariable, HugePages.StartedAgainVariable];

    private static string Expected(string mode) => mode switch
    {
        "always" => nameof(HugePagesOutcome.KernelAlways),
        "madvise" => nameof(HugePagesOutcome.NotAsked),
        _ => nameof(HugePagesOutcome.Unavailable),
    };

    /// <summary>The process starts again in place (same id), once, with the tunable added to those it had; its arguments,
    /// empty and non-ASCII ones included, come through; and glibc then asks for huge pages, as the kernel's own list of
    /// the process's mappings shows.</summary>
    [Fact]
    public void A_process_starts_again_asking_for_huge_pages_with_everything_else_as_it_was()
    {
        var (mode, canAsk) = (HugePagesMachine.KernelMode, HugePagesMachine.CanAsk);
        var output = ProbeProcess.Run([Program.HugePagesProbe, "two words", "", "ü", "end"],
            new Dictionary<string, string> { ["GLIBC_TUNABLES"] = "glibc.malloc.tcache_count=0" }, Cleared).Split('\n');
        var arguments = "arguments: two words||ü|end";
        var port = $"diagnostics port listening: {DiagnosticsPortExpected()}";
        if (!canAsk)
        {
            Assert.Equal(2, output.Length);
            Assert.StartsWith($"{Expected(mode)}; {arguments}; GLIBC_TUNABLES=glibc.malloc.tcache_count=0; {port}; not again: ", output[1]);
            return;
        }
        Assert.Equal(3, output.Length);
        Assert.StartsWith("start ", output[0]);
        Assert.Equal(output[0], output[1]); // the same process id
        // The runtime started again listens for dotnet-trace and the like, as the first did.
        Assert.Equal($"Asked; {arguments}; GLIBC_TUNABLES=glibc.malloc.tcache_count=0:{HugePages.Tunable}; {port}; " +
                     "not again: Started again once already.", output[2]);
    }

    /// <summary>Whether the runtime's diagnostics socket for this process accepts a connection.</summary>
    internal static bool DiagnosticsPortListens()
    {
        var folder = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } temp ? temp : "/tmp";
        foreach (var path in Directory.EnumerateFiles(folder, $"dotnet-diagnostic-{Environment.ProcessId}-*-socket"))
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
                return true;
            }
            catch (SocketException)
            {
                // a file no runtime listens on
            }
        }
        return false;
    }

    /// <summary>The runtime listens unless told not to (DOTNET_EnableDiagnostics=0, or its IPC part off), on Linux.</summary>
    private static bool DiagnosticsPortExpected() =>
        OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("DOTNET_EnableDiagnostics") != "0"
                                  && Environment.GetEnvironmentVariable("DOTNET_EnableDiagnostics_IPC") != "0";

    [Theory]
    [InlineData(HugePages.SettingVariable, "off", "Planner__Engine__HugePages=off.")]
    [InlineData(HugePages.SettingVariable, " OFF ", "Planner__Engine__HugePages=off.")]
    [InlineData("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0", "The process started with glibc's huge page tunable set.")] // a choice
    public void A_process_told_otherwise_starts_once(string variable, string value, string why)
    {
        var (mode, canAsk) = (HugePagesMachine.KernelMode, HugePagesMachine.CanAsk);
        var output = ProbeProcess.Run([Program.HugePagesProbe], new Dictionary<string, string> { [variable] = value }, Cleared).Split('\n');
        Assert.Equal(2, output.Length);
        Assert.StartsWith($"{Expected(mode)}; arguments: ; GLIBC_TUNABLES={(variable == "GLIBC_TUNABLES" ? value : "")}; " +
                          $"diagnostics port listening: {DiagnosticsPortExpected()}; not again: ", output[1]);
        if (canAsk) Assert.EndsWith(why, output[1]);
    }

    [Fact]
    public void The_mapping_holding_an_address_says_whether_it_carries_the_advice()
    {
        string[] smaps =
        [
            "55d0a0000000-55d0a0021000 rw-p 00000000 00:00 0                          [heap]",
            "Size:                132 kB",
            "VmFlags: rd wr mr mw me ac",
            "7f0000000000-7f0004000000 rw-p 00000000 00:00 0 ",
            "Size:              65536 kB",
            "AnonHugePages:     63488 kB",
            "VmFlags: rd wr mr mw me ac hg",
            "7f0004000000-7f0004001000 ---p 00000000 00:00 0 ",
            "Size:                  4 kB",
        ];
        Assert.False(HugePages.Advised(smaps, 0x55d0a0000010));
        Assert.True(HugePages.Advised(smaps, 0x7f0000000000));
        Assert.True(HugePages.Advised(smaps, 0x7f0003ffffff));
        Assert.False(HugePages.Advised(smaps, 0x7f0004000000)); // its mapping has no flags line: not advised
        Assert.Null(HugePages.Advised(smaps, 0x7f0004001000)); // past the last mapping
        Assert.Null(HugePages.Advised(smaps, 0x1000)); // before the first
        Assert.Null(HugePages.Advised(smaps, 0x55d0a0021000)); // in the gap between two
        Assert.Null(HugePages.Advised([], 0x1000));
    }

    [Theory]
    [InlineData("always [madvise] never\n", "madvise")]
    [InlineData("[always] madvise never", "always")]
    [InlineData("always madvise [never]", "never")]
    public void The_kernels_mode_is_its_bracketed_word(string setting, string mode) => Assert.Equal(mode, HugePages.KernelMode(setting));

    [Fact]
    public void A_setting_without_a_mode_is_an_error() => Assert.Throws<IOException>(() => HugePages.KernelMode("always madvise never"));

    [Theory]
    [InlineData("GLIBC_TUNABLES=glibc.malloc.hugetlb=1", true)]
    [InlineData("GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.hugetlb=0", true)]
    [InlineData("GLIBC_TUNABLES=glibc.malloc.tcache_count=0", false)]
    [InlineData("GLIBC_TUNABLES=xglibc.malloc.hugetlb=1", false)]
    [InlineData("OTHER=glibc.malloc.hugetlb=1", false)]
    public void The_tunable_is_found_among_others(string entry, bool found) => Assert.Equal(found, HugePages.AsksAlready(entry));

    /// <summary>This process (the test host, started without the tunable) is told the truth: where the kernel waits to be
    /// asked, nothing asks.</summary>
    [Fact]
    public void The_test_hosts_own_status_is_what_its_start_gave()
    {
        var mode = HugePagesMachine.KernelMode;
        var tunables = Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "";
        if (tunables.Contains("glibc.malloc.hugetlb=1", StringComparison.Ordinal) && mode == "madvise") Assert.Equal(HugePagesOutcome.Asked, HugePages.Status.Outcome);
        else Assert.Equal(Expected(mode), HugePages.Status.Outcome.ToString());
    }
}
