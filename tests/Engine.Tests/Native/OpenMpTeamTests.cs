using Planner.Engine.Native;

namespace Planner.Engine.Tests.Native;

public class OpenMpTeamTests
{
    // The suite runs on Linux, where libtorch's OpenMP is found (as LibtorchThreadsTests assumes too).
    [Fact]
    public void Libtorchs_team_is_found()
    {
        Assert.True(OpenMpTeam.Available, "GOMP_parallel was not found through libtorch");
    }

    [Fact]
    public void The_body_runs_once_on_each_thread_asked_for_the_caller_among_them()
    {
        var caller = Environment.CurrentManagedThreadId;
        var threads = new System.Collections.Concurrent.ConcurrentBag<int>();
        OpenMpTeam.Run(3, () => threads.Add(Environment.CurrentManagedThreadId));
        Assert.Equal(3, threads.Count);
        Assert.Equal(3, threads.Distinct().Count());
        Assert.Contains(caller, threads);
    }

    [Fact]
    public void An_exception_on_any_member_comes_back_to_the_caller_after_all_are_done()
    {
        var caller = Environment.CurrentManagedThreadId;
        var ran = 0;
        var thrown = Assert.Throws<InvalidOperationException>(() => OpenMpTeam.Run(2, () =>
        {
            Interlocked.Increment(ref ran);
            if (Environment.CurrentManagedThreadId != caller) throw new InvalidOperationException("a worker failed");
        }));
        Assert.Equal("a worker failed", thrown.Message);
        Assert.Equal(2, ran);
        OpenMpTeam.Run(2, () => Interlocked.Increment(ref ran));     // the team is usable afterwards
        Assert.Equal(4, ran);
    }
}
