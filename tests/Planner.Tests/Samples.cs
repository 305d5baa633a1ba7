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
        Objectives = [new Objective { Key = "o1", Title = "Grow", KeyResults = [new KeyResult("ARR x2")] }],
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

    /// <summary>Many initiatives on three small teams, some chained: capacity, not the chains, sets the end.</summary>
    public static Workspace Crowded(int count, int seed)
    {
        var random = new Random(seed);
        var w = new Workspace
        {
            Name = "crowded",
            PlanningStart = new DateOnly(2027, 1, 4),
            Teams = [.. Enumerable.Range(0, 3).Select(t => new Team { Key = $"t{t}", Name = $"Team {t}", Capacity = 6 })],
        };
        for (var i = 0; i < count; i++)
        {
            var item = new Initiative { Key = $"i{i}", Title = $"Initiative {i}", DurationWeeks = random.Next(1, 9) };
            foreach (var t in Enumerable.Range(0, 3).Where(_ => random.NextDouble() < 0.5).DefaultIfEmpty(random.Next(3)))
                item.Demand.Add(new TeamDemand($"t{t}", random.Next(1, 5)));
            if (i > 0 && random.NextDouble() < 0.4) item.Dependencies.Add(new Dependency($"i{random.Next(i)}"));
            w.Initiatives.Add(item);
        }
        return w;
    }
}
