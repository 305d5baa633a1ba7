using Planner.Llm;

namespace Planner.Tests.Llm;

public class TurnQueueTests
{
    [Fact]
    public async Task Waiters_are_let_in_first_come_first_served_as_turns_free_up()
    {
        var queue = new TurnQueue(1);
        await queue.EnterAsync();
        var order = new List<int>();
        var waiting = Enumerable.Range(1, 3).Select(i => queue.EnterAsync().ContinueWith(_ => { lock (order) order.Add(i); })).ToList();
        Assert.Equal((1, 3, false), (queue.Active, queue.Waiting, queue.HasFreeTurn));

        for (var i = 0; i < 3; i++)
        {
            queue.Leave();
            await waiting[i];
        }
        Assert.Equal([1, 2, 3], order);
        Assert.Equal((1, 0), (queue.Active, queue.Waiting));
        queue.Leave();
        Assert.True(queue.HasFreeTurn);
        Assert.Throws<InvalidOperationException>(queue.Leave);
    }

    [Fact]
    public async Task Raising_the_limit_lets_waiters_in_and_lowering_it_lets_running_turns_finish()
    {
        var queue = new TurnQueue(1);
        await queue.EnterAsync();
        var second = queue.EnterAsync();
        var third = queue.EnterAsync();
        queue.Limit = 3;
        await Task.WhenAll(second, third);
        Assert.Equal(3, queue.Active);

        queue.Limit = 1;
        var fourth = queue.EnterAsync();
        queue.Leave();
        queue.Leave();
        Assert.False(fourth.IsCompleted); // two left, one still holds a turn: the limit is 1
        queue.Leave();
        await fourth;
        Assert.Equal((1, 0), (queue.Active, queue.Waiting));
    }

    [Fact]
    public async Task A_waiter_cancelled_gives_up_its_place_and_the_next_one_moves_up()
    {
        var queue = new TurnQueue(1);
        await queue.EnterAsync();
        using var cancel = new CancellationTokenSource();
        var gaveUp = queue.EnterAsync(cancel.Token);
        var next = queue.EnterAsync();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        Assert.Equal(1, queue.Waiting);
        queue.Leave();
        await next;
        Assert.Equal((1, 0), (queue.Active, queue.Waiting));
    }
}
