using Planner.Prioritization;
using Planner.Roadmaps;

namespace Planner.Tests.Prioritization;

public class PrioritizerTests
{
    private static Initiative Rice(string key, double reach, double impact, double confidence, double effort)
    {
        var i = Samples.Item(key, 2, ("be", 1));
        (i.Reach, i.Impact, i.Confidence, i.Effort) = (reach, impact, confidence, effort);
        return i;
    }

    private static Workspace With(ScoringSettings settings, params Initiative[] items)
    {
        var w = Samples.Small();
        w.Scoring = settings;
        w.Initiatives = [.. items];
        return w;
    }

    [Fact]
    public void Rice_score_has_a_readable_breakdown()
    {
        var score = Assert.Single(Prioritizer.Rank(With(ScoringSettings.Default, Rice("i1", 600, 2, 0.7, 20))));
        Assert.Equal(42, score.Value, 6);
        Assert.Equal("RICE 42 = reach 600 × impact 2 × confidence 0.7 ÷ effort 20", score.Breakdown);
        Assert.Equal(1, score.Rank);
    }

    [Fact]
    public void Ranking_is_by_score_then_by_id()
    {
        var ranked = Prioritizer.Rank(With(ScoringSettings.Default,
            Rice("b", 100, 1, 1, 10), Rice("a", 100, 1, 1, 10), Rice("c", 500, 1, 1, 10)));
        Assert.Equal(["c", "a", "b"], ranked.Select(s => s.Key));
        Assert.Equal([1, 2, 3], ranked.Select(s => s.Rank));
    }

    [Fact]
    public void Wsjf_uses_cost_of_delay_over_job_size_with_custom_weights()
    {
        var i = Samples.Item("i1", 2, ("be", 2));
        (i.BusinessValue, i.TimeCriticality, i.RiskReduction) = (8, 5, 3);
        var plain = Assert.Single(Prioritizer.Rank(With(new ScoringSettings(PrioritizationFramework.Wsjf), i)));
        Assert.Equal(4, plain.Value, 6); // (8 + 5 + 3) ÷ 4 person-weeks (2 weeks × 2 people)
        Assert.Equal("WSJF 4 = (business value 8 + time criticality 5 + risk reduction 3) ÷ job size 4", plain.Breakdown);
        var weighted = Assert.Single(Prioritizer.Rank(With(new ScoringSettings(PrioritizationFramework.Wsjf, 2, 1, 0), i)));
        Assert.Equal(5.25, weighted.Value, 6); // (2×8 + 5) ÷ 4
    }

    [Fact]
    public void MoSCoW_orders_by_category_then_by_rice()
    {
        var must = Rice("m", 10, 1, 1, 10); must.MoSCoW = MoSCoW.Must;
        var couldBig = Rice("c", 10_000, 3, 1, 1); couldBig.MoSCoW = MoSCoW.Could;
        var mustBig = Rice("mb", 1000, 1, 1, 10); mustBig.MoSCoW = MoSCoW.Must;
        var wont = Rice("w", 99_999, 3, 1, 1); wont.MoSCoW = MoSCoW.Wont;
        var ranked = Prioritizer.Rank(With(new ScoringSettings(PrioritizationFramework.MoSCoW), must, couldBig, mustBig, wont));
        Assert.Equal(["mb", "m", "c", "w"], ranked.Select(s => s.Key));
        Assert.StartsWith("MoSCoW: must have; within it by RICE 100", ranked[0].Breakdown);
    }

    [Fact]
    public void Value_effort_labels_quadrants_at_the_medians()
    {
        Initiative Item(string key, double value, double effort)
        {
            var i = Samples.Item(key, 1, ("be", 1));
            i.BusinessValue = value;
            i.Effort = effort;
            return i;
        }
        var ranked = Prioritizer.Rank(With(new ScoringSettings(PrioritizationFramework.ValueEffort),
            Item("quick", 8, 1), Item("bet", 9, 10), Item("fill", 1, 1), Item("sink", 1, 10)));
        var quadrants = ranked.ToDictionary(s => s.Key, s => s.Quadrant);
        Assert.Equal("quick win", quadrants["quick"]);
        Assert.Equal("big bet", quadrants["bet"]);
        Assert.Equal("fill-in", quadrants["fill"]);
        Assert.Equal("time sink", quadrants["sink"]);
        Assert.Equal("quick", ranked[0].Key);
    }

    [Fact]
    public void Missing_inputs_are_named_and_score_zero()
    {
        var i = Samples.Item("i1", 2, ("be", 1));
        i.Reach = 100;
        var score = Assert.Single(Prioritizer.Rank(With(ScoringSettings.Default, i)));
        Assert.Equal(0, score.Value);
        Assert.Equal(["impact", "confidence"], score.Missing);
        Assert.EndsWith("(missing: impact, confidence)", score.Breakdown);
    }

    [Fact]
    public void Evidence_informs_reach_and_confidence_visibly_and_can_be_overridden()
    {
        var i = Rice("i1", 100, 2, 0.5, 10);
        i.Evidence = new Evidence("reviews", 14, 0.066, ["Reconciling by hand takes me a day every month."], SuggestedReach: 400, SuggestedConfidence: 0.8);
        var withEvidence = Assert.Single(Prioritizer.Rank(With(ScoringSettings.Default, i)));
        Assert.Equal(64, withEvidence.Value, 6); // 400 × 2 × 0.8 ÷ 10
        Assert.True(withEvidence.UsesEvidence);
        Assert.Contains("reach 400 (evidence: 14 reviews (7%))", withEvidence.Breakdown);
        i.IgnoreEvidence = true;
        var overridden = Assert.Single(Prioritizer.Rank(With(ScoringSettings.Default, i)));
        Assert.Equal(10, overridden.Value, 6); // 100 × 2 × 0.5 ÷ 10
        Assert.False(overridden.UsesEvidence);
    }

    [Fact]
    public void Done_and_dropped_work_is_not_ranked_and_effort_falls_back_to_duration_times_people()
    {
        var done = Rice("d", 1, 1, 1, 1); done.Status = InitiativeStatus.Done;
        var noEffort = Rice("n", 60, 1, 1, 0); noEffort.Effort = null; // 2 weeks × 1 person
        var ranked = Prioritizer.Rank(With(ScoringSettings.Default, done, noEffort));
        var score = Assert.Single(ranked);
        Assert.Equal(30, score.Value, 6);
    }
}
