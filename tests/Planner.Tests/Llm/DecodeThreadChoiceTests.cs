using Planner.Llm;

namespace Planner.Tests.Llm;

public class DecodeThreadChoiceTests
{
    [Fact]
    public void The_counts_tried_are_the_powers_of_two_below_the_most_and_the_most_itself()
    {
        Assert.Equal([1], DecodeThreadChoice.Candidates(1));
        Assert.Equal([1, 2], DecodeThreadChoice.Candidates(2));
        Assert.Equal([1, 2, 4, 6], DecodeThreadChoice.Candidates(6));
        Assert.Equal([1, 2, 4, 8, 16], DecodeThreadChoice.Candidates(16));
        Assert.Throws<ArgumentOutOfRangeException>(() => DecodeThreadChoice.Candidates(0));
    }

    [Fact]
    public void The_fewest_threads_within_five_percent_of_the_fastest_are_chosen()
    {
        // A small model: one thread is faster than two (their synchronisation costs more than the work they share).
        var small = DecodeThreadChoice.Choose([new(2, 784), new(1, 839)]);
        Assert.Equal((1, "the fastest measured at load"), (small.Threads, small.Reason));
        Assert.Equal([1, 2], small.Measured.Select(m => m.Threads)); // in order of threads, whatever the order measured

        // A large one: memory bound, each thread reads more of it.
        Assert.Equal(4, DecodeThreadChoice.Choose([new(1, 95), new(2, 127), new(4, 160)]).Threads);

        // Within 5 %: as good, and a core stays free for the rest of the app.
        var close = DecodeThreadChoice.Choose([new(1, 96), new(2, 100)]);
        Assert.Equal(1, close.Threads);
        Assert.Contains("within 5 % of the fastest measured at load (2), with fewer threads", close.Reason);
        Assert.Equal(2, DecodeThreadChoice.Choose([new(1, 94), new(2, 100)]).Threads);

        Assert.Throws<ArgumentException>(() => DecodeThreadChoice.Choose([]));
    }

    [Fact]
    public void The_choice_reads_as_what_was_measured()
    {
        Assert.Equal("1 thread for each new token (the fastest measured at load: 1 thread 839 tok/s, 2 threads 784 tok/s)",
            DecodeThreadChoice.Choose([new(2, 784.2), new(1, 839.4)]).ToString());
        Assert.Equal("2 threads for each new token (set in the model's settings)", DecodeThreadChoice.Set(2).ToString());
    }
}
