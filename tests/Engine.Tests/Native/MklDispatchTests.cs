using System.Runtime.InteropServices;
using Planner.Engine.Model;
using Planner.Engine.Native;
using static TorchSharp.torch;

namespace Planner.Engine.Tests.Native;

public class MklDispatchTests
{
    private const string CheckFunction = "mkl_serv_intel_cpu_true";

    private static string Libtorch()
    {
        Assert.True(OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64, "the Engine's tests run on Linux x64");
        _ = get_num_threads(); // loads libtorch
        return MklDispatch.LibtorchFile() ?? throw new InvalidOperationException("libtorch_cpu.so is not in this process's memory map");
    }

    [Fact]
    public void On_a_processor_MKL_does_not_recognise_libtorch_gets_yes_from_its_vendor_check()
    {
        _ = Libtorch();
        var status = MklDispatch.Status!; // applied by the test assembly's start-up, as a host applies it
        if (!NativeSetupFirst.FromEnvironment().InterposeMklVendorCheck)
        {
            Assert.Equal(MklDispatchOutcome.Kept, status.Outcome);
            return;
        }
        if (MklDispatch.AnswerOfMkl() == 1) // an Intel processor: MKL's own kernels are already its best
        {
            Assert.Equal(MklDispatchOutcome.NotNeeded, status.Outcome);
            Assert.Empty(MklDispatch.AnswersThroughSlots());
            return;
        }
        Assert.Equal(0, MklDispatch.AnswerOfMkl());
        Assert.Equal(MklDispatchOutcome.Interposed, status.Outcome);
        Assert.Equal([1], MklDispatch.AnswersThroughSlots()); // what libtorch's own call now gets
        Assert.Contains(EngineNativeOptions.MklVendorCheckKey + "=keep", status.Description);
        Assert.Same(status, MklDispatch.Apply(interpose: false)); // once per process: the first choice stands
    }

    [Theory]
    [InlineData(1024, 768, 3072, false, true)]  // a linear layer's forward: x · Wᵀ
    [InlineData(1024, 3072, 768, false, false)] // its input gradient
    [InlineData(3072, 1024, 768, true, false)]  // its weight gradient
    [InlineData(257, 768, 5027, false, true)]   // odd sizes, as a vocabulary makes
    public void Matrix_products_agree_with_double_precision(int m, int k, int n, bool transposeA, bool transposeB)
    {
        using var generator = new TorchSharp.torch.Generator(7);
        using var a = randn(transposeA ? [k, m] : [m, k], generator: generator);
        using var b = randn(transposeB ? [n, k] : [k, n], generator: generator);
        var (left, right) = (transposeA ? a.t() : a, transposeB ? b.t() : b);
        using var product = left.mm(right);
        using var exact = left.to(ScalarType.Float64).mm(right.to(ScalarType.Float64));
        var error = (product.to(ScalarType.Float64) - exact).abs().max().item<double>() / exact.abs().max().item<double>();
        Assert.InRange(error, 0, 1e-5);
    }

    [Fact]
    public void Libtorchs_one_jump_slot_for_the_check_is_writable_after_loading()
    {
        var layout = ElfJumpSlots.Read(Libtorch(), CheckFunction);
        Assert.NotEqual(0UL, layout.SymbolValue);
        var slot = Assert.Single(layout.Slots);
        Assert.True(layout.IsWritable(slot));
        Assert.InRange(slot, 0UL, layout.ImageEnd - 8);
    }

    [Fact]
    public void A_slot_in_the_part_made_read_only_after_relocation_is_not_writable()
    {
        var layout = new ElfJumpSlots(0x100, [0x2000], 0x4000, Writable: [(0x1000, 0x3000)], ReadOnlyAfterRelocation: [(0x1000, 0x2004)]);
        Assert.False(layout.IsWritable(0x2000));      // overlaps the read-only part
        Assert.True(layout.IsWritable(0x2008));
        Assert.False(layout.IsWritable(0x2FFC));      // runs past the writable segment
        Assert.False(layout.IsWritable(0x3800));
    }

    [Fact]
    public void A_function_the_library_does_not_define_is_reported()
    {
        var error = Assert.Throws<InvalidDataException>(() => ElfJumpSlots.Read(Libtorch(), "no_such_function_anywhere"));
        Assert.Contains("defines no function no_such_function_anywhere", error.Message);
    }

    [Fact]
    public void Truncated_and_foreign_files_are_reported_not_read_past_their_end()
    {
        var source = Libtorch();
        var folder = Directory.CreateTempSubdirectory("mkl-dispatch-");
        try
        {
            var cut = Path.Combine(folder.FullName, "cut.so");
            using (var input = File.OpenRead(source))
            using (var output = File.Create(cut))
            {
                var head = new byte[1 << 20];
                input.ReadExactly(head);
                output.Write(head); // the ELF header, but not the section table at the end
            }
            Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => ElfJumpSlots.Read(cut, CheckFunction)).Message);
            var text = Path.Combine(folder.FullName, "notes.so");
            File.WriteAllText(text, new string('x', 200));
            Assert.Contains("not a 64-bit x86-64 ELF", Assert.Throws<InvalidDataException>(() => ElfJumpSlots.Read(text, CheckFunction)).Message);
            var empty = Path.Combine(folder.FullName, "empty.so");
            File.WriteAllBytes(empty, []);
            Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => ElfJumpSlots.Read(empty, CheckFunction)).Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("interpose", null, true)]
    [InlineData("keep", null, false)]
    [InlineData("KEEP", null, false)]
    [InlineData(null, "keep", false)]        // the legacy environment variable, when the key is not set
    [InlineData("interpose", "keep", true)]  // the key wins over it
    public void The_setting_chooses_whether_MKLs_vendor_check_is_interposed(string? key, string? legacy, bool interposed)
    {
        var options = EngineNativeOptions.Read(k => k == EngineNativeOptions.MklVendorCheckKey ? key : null, keepTrainingHeapByDefault: false,
            v => v == EngineNativeOptions.LegacyMklVariable ? legacy : null);
        Assert.Equal(interposed, options.InterposeMklVendorCheck);
    }

    [Fact]
    public void The_outcome_names_the_setting_that_decided_it()
    {
        static string Source(string? key, string? legacy) => EngineNativeOptions.Read(k => k == EngineNativeOptions.MklVendorCheckKey ? key : null,
            keepTrainingHeapByDefault: false, v => v == EngineNativeOptions.LegacyMklVariable ? legacy : null).MklVendorCheckSource;
        Assert.Equal(EngineNativeOptions.LegacyMklVariable, Source(null, "keep"));
        Assert.Equal(EngineNativeOptions.MklVendorCheckKey, Source("keep", "keep"));
        Assert.Equal(EngineNativeOptions.MklVendorCheckKey, Source(null, null));
    }

    [Theory]
    [InlineData(EngineNativeOptions.MklVendorCheckKey, "yes please", "use 'interpose'")]
    [InlineData(EngineNativeOptions.ThreadsKey, "0", "from 1 to 1024")]
    [InlineData(EngineNativeOptions.ThreadsKey, "two", "from 1 to 1024")]
    [InlineData(EngineNativeOptions.TrainingHeapKey, "always", "use 'keep'")]
    [InlineData(EngineNativeOptions.HugePagesKey, "never", "use 'ask'")]
    public void A_setting_that_is_not_understood_is_refused_with_the_values_it_takes(string key, string value, string said)
    {
        var error = Assert.Throws<ArgumentException>(() => EngineNativeOptions.Read(k => k == key ? value : null, keepTrainingHeapByDefault: false, _ => null));
        Assert.Contains($"{key} is '{value}'", error.Message);
        Assert.Contains(said, error.Message);
    }

    /// <summary>Huge pages are decided at the process's start, from the environment variable alone: the key (which the
    /// environment variable also gives a host's configuration) is accepted only as that variable says it.</summary>
    [Theory]
    [InlineData(null, null, null)]
    [InlineData("off", "off", null)]
    [InlineData("ASK", "ask", null)]
    [InlineData("off", null, "set the environment variable Planner__Engine__HugePages instead")] // from a configuration file
    [InlineData(null, "off", null)] // a host whose configuration leaves the environment out
    [InlineData("ask", "off", "set the environment variable Planner__Engine__HugePages instead")]
    public void Huge_pages_are_said_by_the_environment_variable(string? key, string? variable, string? refused)
    {
        void Read() => EngineNativeOptions.Read(k => k == EngineNativeOptions.HugePagesKey ? key : null, keepTrainingHeapByDefault: true,
            v => v == HugePages.SettingVariable ? variable : null);
        if (refused is null) Read();
        else Assert.Contains(refused, Assert.Throws<ArgumentException>(Read).Message);
    }

    [Fact]
    public void The_training_heap_is_kept_by_default_only_in_a_training_process_and_either_way_when_configured()
    {
        EngineNativeOptions Read(string? value, bool training) =>
            EngineNativeOptions.Read(k => k == EngineNativeOptions.TrainingHeapKey ? value : null, training, _ => null);
        Assert.Equal((true, false, true, false), (Read(null, true).KeepTrainingHeap, Read(null, false).KeepTrainingHeap,
            Read("keep", false).KeepTrainingHeap, Read("off", true).KeepTrainingHeap));
    }

    [Fact]
    public void Building_a_model_changes_nothing_native_the_host_applies_the_set_up()
    {
        // No type initializer: making a model in any process (a server, a test, a bench) leaves MKL, threads and heap alone.
        Assert.Null(typeof(Gpt).TypeInitializer);
        Assert.Null(typeof(ClassificationHead).TypeInitializer);
    }
}
