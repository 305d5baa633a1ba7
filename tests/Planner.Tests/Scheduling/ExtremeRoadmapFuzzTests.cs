using CsCheck;
using Planner.Interchange;
using Planner.Roadmaps;
using Planner.Scheduling;
using Xunit.Abstractions;

namespace Planner.Tests.Scheduling;

/// <summary>Roadmaps with values at, near and past every bound (far dates, long chains, big lags, zero capacity):
/// the validator refuses them, or both schedulers return a schedule without throwing — one that keeps every lag,
/// lock, hard deadline and capacity, or says it is infeasible.</summary>
public class ExtremeRoadmapFuzzTests(ITestOutputHelper output)
{
    private static readonly DateOnly Start = new(2027, 1, 4);

    /// <summary>Mostly ordinary values, often the bound itself, sometimes past it.</summary>
    private static Gen<int> Number(Gen<int> ordinary, int bound, params int[] past) =>
        Gen.Frequency((16, ordinary), (4, Gen.OneOf(0, bound - 1, bound)), (1, Gen.OneOf(past)));

    private static readonly Gen<int> Weeks = Number(Gen.Int[0, 12], RoadmapBounds.MaxWeeks, 521, 600_000, int.MaxValue);
    private static readonly Gen<int> People = Number(Gen.Int[0, 4], RoadmapBounds.MaxPeople, 10_001, int.MaxValue);

    private static readonly Gen<DateOnly> FarDate = Gen.OneOf(
        RoadmapBounds.EarliestDate, RoadmapBounds.LatestDate, RoadmapBounds.LatestDate.AddDays(-6), new DateOnly(1999, 12, 31),
        new DateOnly(2101, 1, 1), new DateOnly(9999, 12, 31), DateOnly.MinValue);

    private static readonly Gen<DateOnly> Date = Gen.Frequency((12, Gen.Int[-5, 600].Select(w => Start.AddDays(7 * w))), (1, FarDate));

    private static readonly Gen<DateOnly?> MaybeDate = Gen.Frequency((5, Gen.Const(default(DateOnly?))), (2, Date.Select(d => (DateOnly?)d)));

    private static readonly Gen<Team> Team = Gen.Select(People, Gen.Select(Date, People, (d, p) => new CapacityChange(d, p)).List[0, 2],
        (capacity, changes) => new Team { Key = "", Name = "Team", Capacity = capacity, CapacityChanges = [.. changes.DistinctBy(c => c.From)] });

    /// <summary>An initiative without its id; its dependencies name earlier initiatives by how far back they are.</summary>
    private static readonly Gen<(Initiative Item, List<(int Back, int Lag)> Dependencies)> Item = Gen.Select(
        Gen.Select(Weeks, Gen.Frequency((12, Gen.Const(default(double?))), (1, Gen.OneOf<double?>(1, 5_200_000, 5_200_001, 1e300)))),
        Gen.Select(Gen.Int[0, 1], People, (t, p) => new TeamDemand($"t{t}", p)).List[0, 2],
        Gen.Select(Gen.Int[1, 10], Number(Gen.Int[0, 3], RoadmapBounds.MaxWeeks, 521, int.MaxValue)).List[0, 2],
        Gen.Select(MaybeDate, MaybeDate, MaybeDate, Gen.Bool),
        Gen.Frequency((9, Gen.Const(InitiativeStatus.Planned)), (1, Gen.Const(InitiativeStatus.Done))),
        (duration, demand, deps, dates, status) => (new Initiative
        {
            Key = "",
            Title = "Item",
            DurationWeeks = duration.Item2 is null ? duration.Item1 : null,
            EffortPersonWeeks = duration.Item2,
            Demand = [.. demand.DistinctBy(d => d.TeamKey)],
            EarliestStart = dates.Item1,
            Deadline = dates.Item2,
            LockedStart = dates.Item3,
            DeadlineIsHard = dates.Item4,
            Status = status,
        }, deps));

    private static readonly Gen<Workspace> Roadmap = Gen.Select(
        Gen.Frequency((12, Gen.Const(Start)), (1, FarDate)), Team.List[2, 2], Item.List[1, 10], (start, teams, items) =>
        {
            for (var n = 0; n < items.Count; n++)
            {
                var (item, deps) = items[n];
                item.Key = $"i{n}";
                item.Dependencies = [.. deps.Where(d => d.Back <= n).DistinctBy(d => d.Back).Select(d => new Dependency($"i{n - d.Back}", d.Lag))];
            }
            return new Workspace { Name = "Extreme", PlanningStart = start, Teams = [.. teams.Select((t, n) => { t.Key = $"t{n}"; return t; })], Initiatives = [.. items.Select(i => i.Item)] };
        });

    [Fact]
    [Trait("Category", "Fuzz")]
    public void The_validator_refuses_an_extreme_roadmap_or_both_schedulers_plan_it_without_throwing()
    {
        var scheduled = 0;
        Roadmap.Sample(w =>
        {
            if (RoadmapValidator.Validate(w).Count > 0) return;
            Interlocked.Increment(ref scheduled);
            var solver = new SchedulerOptions { TimeLimit = TimeSpan.FromSeconds(0.1), Workers = 1 };
            foreach (var schedule in new[] { ListScheduler.Schedule(w), new CpSatScheduler().Schedule(w, solver) })
            {
                if (schedule.Status == ScheduleStatus.Infeasible) Assert.NotEmpty(schedule.Problems);
                else Assert.Empty(ScheduleVerifier.Violations(w, schedule));
            }
        }, time: FuzzBudget.Seconds, threads: FuzzBudget.Threads, writeLine: output.WriteLine, print: RoadmapJson.Serialize);
        output.WriteLine($"{scheduled} accepted roadmaps were scheduled by both schedulers.");
        Assert.True(scheduled > 0, "the generator should produce roadmaps the validator accepts");
    }
}
