using System.Globalization;

namespace Planner.TestSupport;

/// <summary>How long each fuzzing (property-based) test of an untrusted-input parser runs: a few seconds in
/// <c>./test.sh</c>, as long as <c>PLANNER_FUZZ_SECONDS</c> says in the longer runs of <c>bench/fuzz.sh</c>. Pass
/// <see cref="Seconds"/> as CsCheck's <c>time</c> and <see cref="Threads"/> as its <c>threads</c>; fuzzing tests carry
/// <c>[Trait("Category", "Fuzz")]</c>.</summary>
public static class FuzzBudget
{
    public const string Variable = "PLANNER_FUZZ_SECONDS";

    /// <summary>Seconds per fuzzing test: <see cref="Variable"/> when set to a positive whole number, else 4.</summary>
    public static int Seconds => Asked ?? 4;

    /// <summary>Threads per fuzzing test: one in <c>./test.sh</c>, whose projects already keep every core busy (CsCheck's
    /// default of one per core only made each test's seconds cost twice the CPU on two cores); every core when
    /// <see cref="Variable"/> asks for a longer run.</summary>
    public static int Threads => Asked is null ? 1 : Environment.ProcessorCount;

    /// <summary>The seconds <see cref="Variable"/> asks for: a positive whole number, else null.</summary>
    private static int? Asked =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : null;
}
