using Planner.Interchange;
using Planner.Roadmaps;
using Planner.Scheduling;

namespace Planner.Tests.Interchange;

public class RoadmapMarkdownTests
{
    [Fact]
    public void With_a_schedule_the_markdown_gives_every_initiative_its_computed_dates_and_the_plan_its_end()
    {
        var w = Samples.Small();
        w.Objectives[0].KeyResults = [new KeyResult("ARR", "$k", 400, 600, 1200)];
        w.Initiatives[0].Tags = ["billing", "mobile|ios"];
        var schedule = new CpSatScheduler().Schedule(w, new SchedulerOptions { UseSolver = false });

        var md = RoadmapMarkdown.Write(w, schedule);

        Assert.Contains("Computed plan: 2027-01-04 to 2027-01-31 (4 weeks).", md, StringComparison.Ordinal);
        Assert.Contains("| MoSCoW | Tags | Deadline | Start | Finish |", md, StringComparison.Ordinal);
        Assert.Contains(@"| billing, mobile\|ios |", md, StringComparison.Ordinal);   // a pipe in a tag does not break the table
        Assert.Contains("| 2027-01-04 | 2027-01-24 |", md, StringComparison.Ordinal);   // i1: three weeks from the start
        Assert.Contains("| 2027-01-04 | 2027-01-31 |", md, StringComparison.Ordinal);   // i3: four weeks
        Assert.Contains("  - ARR: 600 $k (from 400 to 1200, 25%)", md, StringComparison.Ordinal);
        Assert.DoesNotContain("Start | Finish", RoadmapMarkdown.Write(w), StringComparison.Ordinal);
    }
}
