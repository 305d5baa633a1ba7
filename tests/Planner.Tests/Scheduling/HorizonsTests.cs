using Planner.Scheduling;

namespace Planner.Tests.Scheduling;

public class HorizonsTests
{
    [Theory]
    [InlineData(0, 0, Horizon.Now)]
    [InlineData(5, 0, Horizon.Now)]
    [InlineData(6, 0, Horizon.Next)]
    [InlineData(17, 0, Horizon.Next)]
    [InlineData(18, 0, Horizon.Later)]
    [InlineData(3, 10, Horizon.Now)]   // started before today and still in the plan: now
    [InlineData(16, 10, Horizon.Next)]
    [InlineData(28, 10, Horizon.Later)]
    public void An_initiative_is_now_next_or_later_by_its_computed_start(int startWeek, int referenceWeek, Horizon expected) =>
        Assert.Equal(expected, Horizons.Of(new ScheduledItem("i1", startWeek, startWeek + 2), referenceWeek));

    [Fact]
    public void Horizons_count_from_today_or_from_a_planning_start_still_ahead()
    {
        var w = Samples.Small(); // starts 2027-01-04
        Assert.Equal(0, Horizons.ReferenceWeek(w, new DateOnly(2026, 12, 2)));
        Assert.Equal(4, Horizons.ReferenceWeek(w, new DateOnly(2027, 2, 3)));
        var schedule = new Schedule([new("i3", 20, 24), new("i1", 0, 3), new("i2", 9, 11), new("i4", 9, 9)], []);

        var columns = Horizons.Group(w, schedule, new DateOnly(2026, 12, 2));

        Assert.Equal(["i1"], columns[Horizon.Now].Select(s => s.Key));
        Assert.Equal(["i2", "i4"], columns[Horizon.Next].Select(s => s.Key));
        Assert.Equal(["i3"], columns[Horizon.Later].Select(s => s.Key));
        Assert.Equal(["i1", "i2", "i4"], Horizons.Group(w, schedule, new DateOnly(2027, 2, 3))[Horizon.Now].Select(s => s.Key));
    }
}
