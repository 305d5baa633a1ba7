using Planner.Engine.Model;

namespace Planner.Engine.Tests.Model;

public class RowWorkersTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_part_runs_once_and_its_writes_are_seen_when_run_returns(int parts)
    {
        for (var round = 0; round < 200; round++) // the helpers are reused round after round, as by a decoding step
        {
            // (Which thread runs which part is not asserted: while another caller holds the helpers, as a test running
            // beside this one may, the parts go to the thread pool instead.)
            var counts = new int[parts];
            RowWorkers.Run(parts, part => counts[part]++);
            Assert.All(counts, c => Assert.Equal(1, c));
        }
    }

    [Fact]
    public void More_parts_than_helpers_may_be_made_run_on_the_thread_pool_each_once()
    {
        var parts = RowWorkers.MostHelpers + 50;
        var counts = new int[parts];
        RowWorkers.Run(parts, part => Interlocked.Increment(ref counts[part]));
        Assert.All(counts, c => Assert.Equal(1, c));
        Assert.InRange(RowWorkers.HelperCount, 0, RowWorkers.MostHelpers);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // the thread pool, as while another caller holds the helpers
    public void A_failing_part_is_rethrown_to_the_caller_after_every_part_ended_and_the_helpers_keep_working(bool helpers)
    {
        RowWorkers.Enabled = helpers;
        try
        {
            FailingParts();
        }
        finally
        {
            RowWorkers.Enabled = true;
        }
    }

    private static void FailingParts()
    {
        var finished = 0;
        var thrown = Assert.Throws<AggregateException>(() => RowWorkers.Run(3, part =>
        {
            if (part == 1) throw new InvalidOperationException("part one failed");
            Interlocked.Increment(ref finished);
        }));
        Assert.Equal("part one failed", Assert.IsType<InvalidOperationException>(thrown.InnerException).Message);
        Assert.Equal(2, finished);

        Assert.Throws<AggregateException>(() => RowWorkers.Run(2, part => { if (part == 0) throw new InvalidOperationException("the caller's part"); }));

        var ran = new int[3];
        RowWorkers.Run(3, part => ran[part] = 1);
        Assert.Equal([1, 1, 1], ran);
    }

    [Fact]
    public async Task Callers_on_several_threads_at_once_each_get_all_their_parts()
    {
        var callers = Enumerable.Range(0, 4).Select(caller => Task.Run(() =>
        {
            for (var round = 0; round < 300; round++)
            {
                var sums = new long[2];
                RowWorkers.Run(2, part =>
                {
                    for (var i = 0; i < 1000; i++) sums[part] += i + caller;
                });
                Assert.Equal(2 * (499_500L + 1000L * caller), sums.Sum());
            }
        }));
        await Task.WhenAll(callers);
    }
}
