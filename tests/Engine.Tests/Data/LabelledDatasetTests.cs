using Planner.Engine.Data;

namespace Planner.Engine.Tests.Data;

public class LabelledDatasetTests
{
    private static LabelledDataset Data()
    {
        var examples = new List<LabelledExample>();
        for (var i = 0; i < 60; i++) examples.Add(new LabelledExample($"common {i}", "common"));
        for (var i = 0; i < 20; i++) examples.Add(new LabelledExample($"rare {i}", "rare"));
        for (var i = 0; i < 2; i++) examples.Add(new LabelledExample($"tiny {i}", "tiny"));
        return new LabelledDataset(examples);
    }

    [Fact]
    public void The_three_way_split_keeps_the_two_way_held_out_texts_and_draws_validation_from_the_rest_stratified()
    {
        var data = Data();
        var (train, validation, heldOut) = data.ThreeWaySplit(seed: 5);
        Assert.Equal(data.StratifiedSplit(seed: 5).Validation, heldOut); // the texts a report measures are unchanged
        var all = train.Concat(validation).Concat(heldOut).Select(e => e.Text).ToList();
        Assert.Equal(data.Examples.Count, all.Count);
        Assert.Equal(data.Examples.Count, all.Distinct().Count()); // disjoint and complete
        Assert.Equal((12, 4), (heldOut.Count(e => e.Label == "common"), heldOut.Count(e => e.Label == "rare")));
        Assert.Equal((7, 2), (validation.Count(e => e.Label == "common"), validation.Count(e => e.Label == "rare"))); // 15 % of 48 and of 16
        // A label with two examples: one held out, one to train on, none left for validation.
        Assert.Equal((1, 1, 0), (heldOut.Count(e => e.Label == "tiny"), train.Count(e => e.Label == "tiny"), validation.Count(e => e.Label == "tiny")));
        Assert.Equal(validation, data.ThreeWaySplit(seed: 5).Validation);
        Assert.NotEqual(validation, data.ThreeWaySplit(seed: 6).Validation);
    }
}
