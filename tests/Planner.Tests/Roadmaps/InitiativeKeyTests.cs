using Planner.Roadmaps;

namespace Planner.Tests.Roadmaps;

public sealed class InitiativeKeyTests
{
    [Fact]
    public void A_new_key_follows_the_highest_numbered_one_and_fills_no_gap()
    {
        var workspace = Samples.Sample();
        Assert.Equal("i37", workspace.NextInitiativeKey());
        workspace.Initiatives.RemoveAll(i => i.Key == "i2");
        Assert.Equal("i37", workspace.NextInitiativeKey()); // not i2
        workspace.Initiatives.Add(new Initiative { Key = "billing", Title = "Keys need not be numbered" });
        workspace.Initiatives.Add(new Initiative { Key = "i90", Title = "Imported with a high number" });
        Assert.Equal("i91", workspace.NextInitiativeKey());
        Assert.Equal("i1", new Workspace { Name = "empty" }.NextInitiativeKey());
    }
}
