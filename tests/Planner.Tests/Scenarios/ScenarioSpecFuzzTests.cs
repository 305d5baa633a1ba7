using CsCheck;
using Planner.Scenarios;
using Planner.Scheduling;
using Xunit.Abstractions;

namespace Planner.Tests.Scenarios;

/// <summary>Scenario specs built from the language's words and extreme numbers, and plain garbage: the parser reads
/// them or says why not, and a change it reads runs (or is refused with problems) without throwing.</summary>
public class ScenarioSpecFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] Words =
    [
        "capacity", "delay", "estimate", "shrink", "cut", "first", "add", "runway", "from", "week", "after", "be", "fe", "Backend",
        "i1", "i2", "i9", "\"New\"", "\"\"", "be:2;fe:1", "be:99999999999", "i1;i2", "+2", "-2", "+10000", "-10001", "0", "1", "100%",
        "101%", "520", "521", "600000", "2147483647", "2147483648", "99999999999", "-1", "2027-04-05", "9999-12-31", "1999-12-31",
        "2027-02-30", "w", "weeks", "months", "%",
    ];

    private static readonly string[] Numbers = ["0", "1", "12", "100", "520", "521", "1200", "1201", "10000", "10001", "600000", "2147483647", "2147483648", "99999999999"];

    /// <summary>Every change of the language, with an extreme number (or date) in each place a number goes.</summary>
    private static readonly Gen<string> Template = Gen.Select(Gen.OneOf(
            "delay i1 {0}", "estimate i2 {0}", "shrink i3 {0}%", "runway {0}", "add \"New\" {0} be:{1} after i1", "capacity be -{0} from week {1}",
            "capacity fe +{0} from {2}", "delay i1 {0} weeks"),
        Gen.OneOf(Numbers), Gen.OneOf(Numbers), Gen.OneOf("2027-04-05", "2100-12-31", "2101-01-01", "1999-12-31", "9999-12-31"),
        (template, a, b, date) => string.Format(System.Globalization.CultureInfo.InvariantCulture, template, a, b, date));

    private static readonly Gen<string> Spec = Gen.Frequency(
        (4, Template),
        (2, Gen.OneOf(Words).Array[1, 7].Select(words => string.Join(" ", words))),
        (1, Gen.String[Gen.Char["cdelayfromwk0123456789 -+%\":;"], 0, 40]));

    [Fact]
    [Trait("Category", "Fuzz")]
    public void Scenario_specs_are_read_or_refused_and_run_without_throwing()
    {
        var runner = new ScenarioRunner(new CpSatScheduler());
        var options = new SchedulerOptions { UseSolver = false };
        var read = 0;
        Spec.Sample(spec =>
        {
            var workspace = Samples.Small();
            if (!ScenarioSpec.TryParse(spec, workspace, out var change, out var error))
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
                Assert.DoesNotContain('\n', error);
                return;
            }
            Interlocked.Increment(ref read);
            var result = runner.Run(workspace, [change!], options);
            Assert.True(result.Ok || result.Problems.Count > 0);
        }, time: FuzzBudget.Seconds, threads: FuzzBudget.Threads, writeLine: output.WriteLine, print: spec => spec);
        output.WriteLine($"{read} specs were read and run.");
    }
}
