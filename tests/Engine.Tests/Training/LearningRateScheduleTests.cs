using Planner.Engine.Training;

namespace Planner.Engine.Tests.Training;

public class LearningRateScheduleTests
{
    private static readonly TrainingConfig Config = new() { MaxSteps = 100, WarmupSteps = 10, LearningRate = 1e-3, MinLearningRate = 1e-4 };

    [Fact]
    public void Warmup_rises_linearly_to_the_peak_then_cosine_decays_to_the_minimum()
    {
        Assert.Equal(1e-4, LearningRateSchedule.At(0, Config), 12);
        Assert.Equal(5e-4, LearningRateSchedule.At(4, Config), 12);
        Assert.Equal(1e-3, LearningRateSchedule.At(10, Config), 12);
        Assert.Equal(5.5e-4, LearningRateSchedule.At(55, Config), 12); // half-way through the decay
        Assert.Equal(1e-4, LearningRateSchedule.At(100, Config), 12);
        for (var step = 10; step < 100; step++)
            Assert.True(LearningRateSchedule.At(step + 1, Config) <= LearningRateSchedule.At(step, Config));
    }
}
