using Planner.Interchange;
using Planner.Roadmaps;
using Planner.Scheduling;

namespace Planner.Tests.Interchange;

public class PsplibReaderTests
{
    // Four jobs between the two dummies, two resources. Jobs 2 and 3 both need all of R1, so they run one after the
    // other (2 + 3 weeks); job 4 follows job 2 and shares R2 with job 3; job 5 follows jobs 3 and 4. Optimum: 2 + 3 + 1 = 6.
    private const string Tiny = """
        ************************************************************************
        file with basedata            : tiny.bas
        initial value random generator: 1
        ************************************************************************
        projects                      :  1
        jobs (incl. supersource/sink ):  6
        horizon                       :  12
        RESOURCES
          - renewable                 :  2   R
          - nonrenewable              :  0   N
          - doubly constrained        :  0   D
        ************************************************************************
        PRECEDENCE RELATIONS:
        jobnr.    #modes  #successors   successors
           1        1          2           2   3
           2        1          1           4
           3        1          1           5
           4        1          1           5
           5        1          1           6
           6        1          0
        ************************************************************************
        REQUESTS/DURATIONS:
        jobnr. mode duration  R 1  R 2
        ------------------------------------------------------------------------
          1      1     0       0    0
          2      1     2       3    0
          3      1     3       3    1
          4      1     2       0    1
          5      1     1       1    1
          6      1     0       0    0
        ************************************************************************
        RESOURCEAVAILABILITIES:
          R 1  R 2
            3    2
        ************************************************************************
        """;

    [Fact]
    public void Resources_become_teams_and_jobs_become_initiatives_without_the_dummies()
    {
        var w = PsplibReader.Read(Tiny, "tiny");
        Assert.Equal(["R1", "R2"], w.Teams.Select(t => t.Key));
        Assert.Equal([3, 2], w.Teams.Select(t => t.Capacity));
        Assert.Equal(["j2", "j3", "j4", "j5"], w.Initiatives.Select(i => i.Key));
        Assert.Equal([2, 3, 2, 1], w.Initiatives.Select(i => i.DurationWeeks ?? -1));
        Assert.Equal([new TeamDemand("R1", 3), new TeamDemand("R2", 1)], w.FindInitiative("j3")!.Demand);
        Assert.Equal([new Dependency("j3"), new Dependency("j4")], w.FindInitiative("j5")!.Dependencies);
        Assert.Empty(w.FindInitiative("j2")!.Dependencies);
        Assert.Empty(RoadmapValidator.Validate(w));
    }

    [Fact]
    public void The_tiny_instance_schedules_to_its_hand_computed_optimum()
    {
        var w = PsplibReader.Read(Tiny, "tiny");
        var s = new CpSatScheduler().Schedule(w, new SchedulerOptions { TimeLimit = TimeSpan.FromSeconds(5), Workers = 2 });
        Assert.Equal(ScheduleStatus.Optimal, s.Status);
        Assert.Equal(6, s.MakespanWeeks);
        Assert.Empty(ScheduleVerifier.Violations(w, s));
    }

    [Theory]
    [InlineData("   3        2          1           5", "2 modes")]
    [InlineData("   3        1          1           9", "successor outside 1..6")]
    [InlineData("   3        1          2           5", "does not read as")]
    [InlineData("   3        1          1           x", "'x' is not a whole number")]
    public void A_malformed_precedence_row_is_refused_with_a_message_that_names_it(string row, string expected)
    {
        var text = Tiny.Replace("   3        1          1           5", row, StringComparison.Ordinal);
        var error = Assert.Throws<FormatException>(() => PsplibReader.Read(text, "tiny"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_section_is_refused_with_its_name()
    {
        var text = Tiny.Replace("RESOURCEAVAILABILITIES:", "AVAILABILITY:", StringComparison.Ordinal);
        var error = Assert.Throws<FormatException>(() => PsplibReader.Read(text, "tiny"));
        Assert.Contains("RESOURCEAVAILABILITIES", error.Message, StringComparison.Ordinal);
    }
}
