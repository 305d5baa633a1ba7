using Planner.Persistence;
using Planner.Roadmaps;

namespace Planner.Tests.Persistence;

public class SavedViewStoreTests
{
    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Views_are_saved_per_workspace_replaced_by_name_and_deleted(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var views = new SavedViewStore(db.Factory(), TimeProvider.System);

        Assert.Null(await views.SaveAsync("Ledgerloom", " Backend now ", new RoadmapFilter { Teams = ["be"] }));
        Assert.Null(await views.SaveAsync("Ledgerloom", "Backend now", new RoadmapFilter { Teams = ["be"], Statuses = [InitiativeStatus.InProgress] }));
        Assert.Null(await views.SaveAsync("Ledgerloom", "Musts", new RoadmapFilter { Categories = [MoSCoW.Must] }));

        var saved = await views.ListAsync("Ledgerloom");
        Assert.Equal(["Backend now", "Musts"], saved.Select(v => v.Name));
        Assert.Equal([InitiativeStatus.InProgress], saved[0].Filter!.Statuses);
        Assert.Empty(await views.ListAsync("Other"));

        await views.DeleteAsync("Ledgerloom", "Musts");
        await views.DeleteAsync("Ledgerloom", "Musts"); // already gone: not an error
        Assert.Equal(["Backend now"], (await views.ListAsync("Ledgerloom")).Select(v => v.Name));
    }

    [Fact]
    public async Task A_view_without_a_name_or_workspace_is_refused_with_the_reason()
    {
        await using var db = await TempDatabase.CreateAsync();
        var views = new SavedViewStore(db.Factory(), TimeProvider.System);

        Assert.Equal("Give the view a name.", await views.SaveAsync("Ledgerloom", "  ", RoadmapFilter.None));
        Assert.Equal("A view's name has at most 80 characters (this one has 81).", await views.SaveAsync("Ledgerloom", new string('v', 81), RoadmapFilter.None));
        Assert.Equal("There is no workspace named 'Nope'.", await views.SaveAsync("Nope", "v", RoadmapFilter.None));
        Assert.Empty(await views.ListAsync("Ledgerloom"));
    }
}
