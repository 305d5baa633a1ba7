using Planner.Roadmaps;

namespace Planner.Tests.Roadmaps;

public class RoadmapFilterTests
{
    private static Workspace Tagged()
    {
        var w = Samples.Small();
        w.Objectives.Add(new Objective { Key = "o2", Title = "Retain" });
        w.Initiatives[0].ObjectiveKeys = ["o1"];
        w.Initiatives[0].MoSCoW = MoSCoW.Must;
        w.Initiatives[1].ObjectiveKeys = ["o2"];
        w.Initiatives[1].Status = InitiativeStatus.InProgress;
        w.Initiatives[1].MoSCoW = MoSCoW.Could;
        w.Initiatives[2].ObjectiveKeys = ["o1", "o2"];
        w.Initiatives[0].Tags = ["Mobile"];
        w.Initiatives[2].Tags = ["mobile", "compliance"];
        return w;
    }

    [Fact]
    public void An_empty_filter_shows_every_initiative()
    {
        Assert.True(RoadmapFilter.None.IsEmpty);
        Assert.Equal(["i1", "i2", "i3"], RoadmapFilter.None.Apply(Tagged()).Order());
    }

    [Fact]
    public void Values_within_a_facet_widen_and_facets_together_narrow()
    {
        var w = Tagged();
        Assert.Equal(["i1", "i3"], new RoadmapFilter { Teams = ["be"] }.Apply(w).Order());
        Assert.Equal(["i1", "i2", "i3"], new RoadmapFilter { Teams = ["be", "fe"] }.Apply(w).Order());
        Assert.Equal(["i2", "i3"], new RoadmapFilter { Objectives = ["o2"] }.Apply(w).Order());
        Assert.Equal(["i3"], new RoadmapFilter { Teams = ["be"], Objectives = ["o2"] }.Apply(w).Order());
        Assert.Equal(["i2"], new RoadmapFilter { Statuses = [InitiativeStatus.InProgress] }.Apply(w).Order());
        // i3 has no MoSCoW category: a filter on categories leaves it out.
        Assert.Equal(["i1", "i2"], new RoadmapFilter { Categories = [MoSCoW.Must, MoSCoW.Could] }.Apply(w).Order());
        Assert.Empty(new RoadmapFilter { Categories = [MoSCoW.Must], Statuses = [InitiativeStatus.InProgress] }.Apply(w));
        Assert.Equal(["i1", "i3"], new RoadmapFilter { Tags = ["MOBILE"] }.Apply(w).Order());
        Assert.Equal(["i3"], new RoadmapFilter { Tags = ["compliance"], Teams = ["be"] }.Apply(w).Order());
    }

    [Fact]
    public void A_filter_on_a_tag_no_initiative_carries_any_more_says_so_and_drops_only_that_tag()
    {
        var w = Tagged();
        var saved = new RoadmapFilter { Tags = ["retired", "Compliance"] };

        Assert.Equal(["no initiative is tagged 'retired' any more"], saved.Missing(w));
        var known = saved.KnownIn(w);
        Assert.Equal(["Compliance"], known.Tags);
        Assert.Equal(["i3"], known.Apply(w).Order());
        Assert.Equal(["compliance", "Mobile"], InitiativeTags.InUse(w));
    }

    [Fact]
    public void A_filter_on_a_deleted_team_says_so_and_drops_only_that_condition()
    {
        var w = Tagged();
        var saved = new RoadmapFilter { Teams = ["mob", "fe"], Objectives = ["o9"], Statuses = [InitiativeStatus.Planned] };

        Assert.Equal(["team 'mob' no longer exists", "objective 'o9' no longer exists"], saved.Missing(w));
        var known = saved.KnownIn(w);
        Assert.Equal(["fe"], known.Teams);
        Assert.Empty(known.Objectives);
        Assert.Equal(["i3"], known.Apply(w).Order()); // planned and demanding Frontend
        Assert.Empty(known.Missing(w));
    }

    [Fact]
    public void A_filter_survives_its_json_and_damaged_json_reads_as_null()
    {
        var filter = new RoadmapFilter { Teams = ["be"], Objectives = ["o1"], Statuses = [InitiativeStatus.InProgress], Categories = [MoSCoW.Wont], Tags = ["mobile"] };
        var json = filter.ToJson();
        Assert.Contains("\"in-progress\"", json);
        var read = RoadmapFilter.FromJson(json)!;
        Assert.Equal(filter.Teams, read.Teams);
        Assert.Equal(filter.Objectives, read.Objectives);
        Assert.Equal(filter.Statuses, read.Statuses);
        Assert.Equal(filter.Categories, read.Categories);
        Assert.Equal(filter.Tags, read.Tags);
        Assert.Equal([], RoadmapFilter.FromJson("{\"teams\": [\"be\"]}")!.Tags); // views saved before tags existed
        Assert.Null(RoadmapFilter.FromJson("{\"statuses\": [\"sleeping\"]}"));
        Assert.Null(RoadmapFilter.FromJson("not json"));
    }
}
