using Planner.Roadmaps;
using Planner.Scheduling;
using Planner.Sharing;
using Planner.Tests.Persistence;

namespace Planner.Tests.Sharing;

/// <summary>The share of a saved roadmap solves its plan once per saved state: a share link opened again, or by many
/// readers at once, does not run the scheduler again until the roadmap changes.</summary>
public sealed class RoadmapShareTests
{
    /// <summary>The real scheduler (the heuristic plan, for speed), counting its solves; it can be told to fail once,
    /// or to hold its first solve until released (<see cref="Entered"/> says a solve began).</summary>
    private sealed class CountingScheduler : IScheduler
    {
        private readonly CpSatScheduler inner = new();
        private int solves;
        public int Solves => Volatile.Read(ref solves);
        public bool FailNext { get; set; }
        public TaskCompletionSource? Gate { get; set; }
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Schedule Schedule(Workspace workspace, SchedulerOptions? options = null, CancellationToken ct = default)
        {
            Interlocked.Increment(ref solves);
            Entered.TrySetResult();
            Gate?.Task.Wait(TimeSpan.FromSeconds(30), ct);
            if (FailNext) { FailNext = false; throw new InvalidOperationException("solver failed"); }
            return inner.Schedule(workspace, new SchedulerOptions { UseSolver = false }, ct);
        }
    }

    [Fact]
    public async Task The_same_saved_roadmap_is_solved_once_and_again_after_an_edit()
    {
        await using var db = await TempDatabase.CreateAsync();
        var scheduler = new CountingScheduler();
        var share = new RoadmapShare(db.NewStore(), scheduler, TimeProvider.System);

        var first = await share.MakeAsync(ShareFormat.Html);
        var second = await share.MakeAsync(ShareFormat.Pdf);
        Assert.Equal(1, scheduler.Solves);
        Assert.Equal(first!.Report.Items.Select(i => (i.Key, i.Start, i.Finish)), second!.Report.Items.Select(i => (i.Key, i.Start, i.Finish)));

        var workspace = (await db.NewStore().LoadAsync())!;
        var edited = workspace.Initiatives.First(i => i.Status == InitiativeStatus.Planned && i.Deadline is null && i.LockedStart is null && i.DurationWeeks > 0).Clone();
        edited.EarliestStart = workspace.PlanningStart.AddDays(7 * 60);
        Assert.True((await db.NewInitiatives().UpdateInitiativeAsync(workspace.Name, edited)).Ok);

        var afterEdit = await share.MakeAsync(ShareFormat.Html);
        Assert.Equal(2, scheduler.Solves);
        Assert.NotEqual(first.Report.Items.Single(i => i.Key == edited.Key).Finish, afterEdit!.Report.Items.Single(i => i.Key == edited.Key).Finish);
    }

    [Fact]
    public async Task Readers_arriving_while_the_plan_is_solved_wait_for_that_one_solve()
    {
        await using var db = await TempDatabase.CreateAsync();
        var scheduler = new CountingScheduler { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var share = new RoadmapShare(db.NewStore(), scheduler, TimeProvider.System);

        var readers = Enumerable.Range(0, 8).Select(_ => share.MakeAsync(ShareFormat.Html)).ToList();
        await scheduler.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        scheduler.Gate.SetResult();
        var shares = await Task.WhenAll(readers);

        Assert.Equal(1, scheduler.Solves);
        Assert.All(shares, s => Assert.NotEmpty(s!.Report.Items));
    }

    [Fact]
    public async Task A_solve_that_fails_is_not_kept_the_next_request_solves_again()
    {
        await using var db = await TempDatabase.CreateAsync();
        var scheduler = new CountingScheduler { FailNext = true };
        var share = new RoadmapShare(db.NewStore(), scheduler, TimeProvider.System);

        await Assert.ThrowsAsync<InvalidOperationException>(() => share.MakeAsync(ShareFormat.Html));
        var shared = await share.MakeAsync(ShareFormat.Html);

        Assert.Equal(2, scheduler.Solves);
        Assert.NotEmpty(shared!.Report.Items);
    }
}
