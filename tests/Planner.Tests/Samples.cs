using Planner.Interchange;
using Planner.Persistence;
using Planner.Roadmaps;

namespace Planner.Tests;

/// <summary>Test data: the shipped sample workspace and small hand-made roadmaps.</summary>
internal static class Samples
{
    public static byte[] SampleJson => File.ReadAllBytes(PlannerDatabase.SampleRoadmapPath);

    public static Workspace Sample()
    {
        var result = RoadmapJson.Read(SampleJson);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        return result.Workspace!;
    }

    public static Workspace Small() => new()
    {
        Name = "Acme",
        PlanningStart = new DateOnly(2027, 1, 4),
        Teams = [new Team { Key = "be", Name = "Backend", Capacity = 4 }, new Team { Key = "fe", Name = "Frontend", Capacity = 2 }],
        Objectives = [new Objective { Key = "o1", Title = "Grow", KeyResults = ["ARR x2"] }],
        Initiatives =
        [
            Item("i1", 3, ("be", 2)),
            Item("i2", 2, ("fe", 1)),
            Item("i3", 4, ("be", 1), ("fe", 1)),
        ],
    };

    public static Initiative Item(string key, int weeks, params (string Team, int People)[] demand) => new()
    {
        Key = key,
        Title = $"Initiative {key}",
        DurationWeeks = weeks,
        Demand = [.. demand.Select(d => new TeamDemand(d.Team, d.People))],
    };

    public static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
