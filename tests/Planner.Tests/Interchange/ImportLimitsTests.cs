using System.Globalization;
using System.Text;
using Planner.Interchange;
using Planner.Roadmaps;

namespace Planner.Tests.Interchange;

public class ImportLimitsTests
{
    private static string TooMany(string what) =>
        $"The file has more than 5,000 {what}; a roadmap holds at most 5,000 initiatives. Split the file or leave out finished work.";

    /// <summary>Rows x1..xN, each depending on the one before by id (even rows) or by title (odd rows).</summary>
    private static byte[] Csv(int rows)
    {
        var text = new StringBuilder("id,title,durationWeeks,demand,dependsOn\n");
        for (var n = 1; n <= rows; n++)
            text.Append(CultureInfo.InvariantCulture, $"x{n},Step {n},1,be:1,{(n == 1 ? "" : n % 2 == 0 ? $"x{n - 1}" : $"Step {n - 1}")}\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static Workspace WithExisting(int count)
    {
        var w = Samples.Small();
        w.Initiatives = [.. Enumerable.Range(1, count).Select(n => Samples.Item($"x{n}", 2, ("fe", 1)))];
        return w;
    }

    [Fact]
    public void A_csv_at_the_row_limit_merges_updating_and_adding_in_one_pass()
    {
        var result = InitiativeCsv.Read(Csv(ImportLimits.MaxInitiatives), WithExisting(ImportLimits.MaxInitiatives / 2));

        Assert.True(result.Ok, string.Join("\n", result.Problems.Take(3)));
        var w = result.Workspace!;
        Assert.Equal(ImportLimits.MaxInitiatives, w.Initiatives.Count);
        Assert.Equal("Step 2500", w.FindInitiative("x2500")!.Title);                 // updated
        Assert.Equal("x2500", w.FindInitiative("x2501")!.Dependencies.Single().PredecessorKey); // added, by title
        Assert.Equal(ImportLimits.MaxInitiatives / 2, w.Initiatives.Count(i => i.Demand.Single().TeamKey == "be" && i.Order > 0));
    }

    [Fact]
    public void A_csv_past_the_row_limit_is_refused_before_merging()
    {
        var result = InitiativeCsv.Read(Csv(ImportLimits.MaxInitiatives + 1), Samples.Small());

        Assert.False(result.Ok);
        Assert.Equal(TooMany("rows"), Assert.Single(result.Problems).ToString());
    }

    private static byte[] Json(int initiatives) => Encoding.UTF8.GetBytes(
        "{\"name\": \"Big\", \"start\": \"2027-01-04\", \"teams\": [{\"id\": \"be\", \"name\": \"Backend\", \"capacity\": 4}], \"initiatives\": [" +
        string.Join(",", Enumerable.Range(1, initiatives).Select(n =>
            $"{{\"id\": \"x{n}\", \"title\": \"Step {n}\", \"durationWeeks\": 1, \"demand\": {{\"be\": 1}}{(n == 1 ? "" : $", \"dependsOn\": [\"x{n - 1}\"]")}}}")) +
        "]}");

    [Fact]
    public void A_roadmap_at_the_initiative_limit_imports()
    {
        var result = RoadmapJson.Read(Json(ImportLimits.MaxInitiatives));

        Assert.True(result.Ok, string.Join("\n", result.Problems.Take(3)));
        Assert.Equal(ImportLimits.MaxInitiatives, result.Workspace!.Initiatives.Count);
    }

    [Fact]
    public void A_roadmap_past_the_initiative_limit_is_refused_with_one_message()
    {
        var result = RoadmapJson.Read(Json(ImportLimits.MaxInitiatives + 1));

        Assert.False(result.Ok);
        Assert.Equal(TooMany("initiatives"), Assert.Single(result.Problems).ToString());
    }
}
