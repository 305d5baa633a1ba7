using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Planner.Interchange;
using Planner.Roadmaps;
using Planner.Scheduling;
using Xunit.Abstractions;

namespace Planner.Tests.Interchange;

/// <summary>Mutated roadmap JSON and generated CSV given to the importers: each returns a roadmap or a list of
/// problems and never throws; a roadmap it returns is valid and schedules without throwing.</summary>
public partial class ImportFuzzTests(ITestOutputHelper output)
{
    private static readonly string SampleJson = Encoding.UTF8.GetString(Samples.SampleJson);

    /// <summary>Where the sample holds a number or a date: the spots the mutations overwrite.</summary>
    private static readonly (int Index, int Length)[] Spots = [.. NumberOrDate().Matches(SampleJson).Select(m => (m.Index, m.Length))];

    private static readonly string[] Extremes =
    [
        "-1", "0", "1", "520", "521", "600000", "2147483647", "2147483648", "-2147483649", "99999999999", "1e308", "1e400",
        "0.5", "-0", "NaN", "\"x\"", "null", "[]", "{}", "true", "\"9999-12-31\"", "\"0001-01-01\"", "\"1999-12-31\"",
        "\"2000-01-01\"", "\"2100-12-31\"", "\"2101-01-01\"", "\"2027-02-30\"", "\"\"",
    ];

    [GeneratedRegex(@"-?\d+(\.\d+)?(?![\d-])|""\d{4}-\d{2}-\d{2}""")]
    private static partial Regex NumberOrDate();

    private static readonly Gen<string> ValueEdits = Gen.Select(Gen.Int[0, Spots.Length - 1], Gen.OneOf(Extremes)).List[1, 6].Select(edits =>
    {
        var text = new StringBuilder(SampleJson);
        foreach (var (spot, value) in edits.DistinctBy(e => e.Item1).OrderByDescending(e => e.Item1))
            text.Remove(Spots[spot].Index, Spots[spot].Length).Insert(Spots[spot].Index, value);
        return text.ToString();
    });

    private static readonly Gen<string> ByteEdits = Gen.Select(Gen.Int[0, SampleJson.Length - 1], Gen.Char["{}[]\",:0123456789-e\\"], Gen.Bool)
        .List[1, 4].Select(edits =>
        {
            var text = new StringBuilder(SampleJson);
            foreach (var (at, c, cut) in edits.OrderByDescending(e => e.Item1))
            {
                if (cut) text.Length = Math.Min(text.Length, at);
                else if (at < text.Length) text[at] = c;
            }
            return text.ToString();
        });

    private static void ImportsOrRefuses(ImportResult result)
    {
        if (!result.Ok)
        {
            Assert.NotEmpty(result.Problems);
            return;
        }
        Assert.Empty(RoadmapValidator.Validate(result.Workspace!));
        ListScheduler.Schedule(result.Workspace!);
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void Mutated_roadmap_json_is_imported_or_refused_never_thrown()
    {
        Gen.Frequency((3, ValueEdits), (1, ByteEdits)).Sample(json => ImportsOrRefuses(RoadmapJson.Read(Encoding.UTF8.GetBytes(json))),
            time: FuzzBudget.Seconds, threads: FuzzBudget.Threads, writeLine: output.WriteLine, print: json => json);
    }

    private static readonly string[] Cells =
    [
        "", "x", "Launch", "6", "6w", "6 weeks", "0", "520", "521", "-2", "99999999999", "2147483648", "1e400", "NaN", "70%", "170%",
        "be", "Backend", "be:2;fe:1", "be:-1", "be:10001", "be:2147483648", "ops:1", "i1", "i1:520", "i1:521", "i1:99999999999",
        "i2;i3", "Launch", "2027-01-04", "9999-12-31", "1999-12-31", "2027-02-30", "yes", "maybe", "=cmd()", "'=x", "must", "o1",
        "done", "\"quoted, comma\"", "\"unclosed",
    ];

    private static readonly Gen<string> Csv = Gen.Select(
        Gen.Shuffle(new[] {"id", "description", "status", "effortPersonWeeks", "demand", "people", "dependsOn", "earliestStart", "deadline",
            "deadlineHard", "lockedStart", "reach", "impact", "confidence", "effort", "moscow", "objectives"}, 0, 6),
        Gen.Int[1, 5], Gen.OneOf(Cells).Array[20].Array[1, 5]).Select((extra, _, rows) =>
        {
            string[] header = ["title", "durationWeeks", .. extra];
            return string.Join(",", header) + "\n" + string.Concat(rows.Select(cells => string.Join(",", cells.Take(header.Length)) + "\n"));
        });

    [Fact]
    [Trait("Category", "Fuzz")]
    public void Generated_initiative_csv_is_merged_or_refused_never_thrown()
    {
        Csv.Sample(csv => ImportsOrRefuses(InitiativeCsv.Read(Encoding.UTF8.GetBytes(csv), Samples.Small())),
            time: FuzzBudget.Seconds, threads: FuzzBudget.Threads, writeLine: output.WriteLine, print: csv => csv);
    }
}
