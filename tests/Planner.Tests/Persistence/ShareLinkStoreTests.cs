using Microsoft.EntityFrameworkCore;
using Planner.Persistence;
using Planner.Security;

namespace Planner.Tests.Persistence;

public sealed class ShareLinkStoreTests
{
    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task A_link_resolves_to_its_workspace_until_revoked_and_another_instance_sees_the_revocation_at_once(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var here = new ShareLinkStore(db.Factory(), TimeProvider.System);
        var elsewhere = new ShareLinkStore(db.Factory(), TimeProvider.System); // a second instance on the same database

        var board = await here.CreateAsync("Ledgerloom", " board ");
        var investors = await here.CreateAsync("Ledgerloom", "investors");
        Assert.True(board.Ok, board.Error);
        Assert.Equal("/s/" + board.Token, board.Path);
        Assert.Equal("Ledgerloom", await elsewhere.ResolveAsync(board.Token!));
        Assert.Equal(["board", "investors"], (await elsewhere.ListAsync("Ledgerloom")).Select(l => l.Label));

        Assert.True(await here.RevokeAsync("Ledgerloom", board.Link!.Id));
        Assert.Null(await elsewhere.ResolveAsync(board.Token!));
        Assert.Equal("Ledgerloom", await elsewhere.ResolveAsync(investors.Token!));
        Assert.False(await here.RevokeAsync("Ledgerloom", board.Link.Id)); // already gone
        Assert.False(await here.RevokeAsync("Other", investors.Link!.Id)); // not that workspace's link
        Assert.Null(await here.ResolveAsync(ShareLinkSecret.NewToken()));
        Assert.Null(await here.ResolveAsync("../export/json"));
    }

    [Fact]
    public async Task Only_the_hash_of_a_token_is_stored_and_tokens_carry_256_random_bits()
    {
        await using var db = await TempDatabase.CreateAsync();
        var store = new ShareLinkStore(db.Factory(), TimeProvider.System);
        var first = await store.CreateAsync("Ledgerloom", "board");
        var second = await store.CreateAsync("Ledgerloom", "board");

        Assert.NotEqual(first.Token, second.Token);
        Assert.Equal(43, first.Token!.Length); // 32 bytes, base64url
        await using var ctx = await db.Factory().CreateDbContextAsync();
        var rows = await ctx.ShareLinks.AsNoTracking().ToListAsync();
        Assert.Equal([ShareLinkSecret.Hash(first.Token), ShareLinkSecret.Hash(second.Token!)], rows.Select(r => r.Hash));
        Assert.DoesNotContain(rows, r => r.Hash.Contains(first.Token, StringComparison.Ordinal) || r.Label.Contains(first.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_link_without_a_label_or_for_an_unknown_workspace_is_refused_and_nothing_is_written()
    {
        await using var db = await TempDatabase.CreateAsync();
        var store = new ShareLinkStore(db.Factory(), TimeProvider.System);

        Assert.Contains("needs a label of 1 to 100 characters", (await store.CreateAsync("Ledgerloom", "  ")).Error);
        Assert.Contains("needs a label", (await store.CreateAsync("Ledgerloom", new string('l', 101))).Error);
        Assert.Equal("There is no workspace named 'Nope'.", (await store.CreateAsync("Nope", "board")).Error);
        Assert.Empty(await store.ListAsync("Ledgerloom"));
    }

    [Fact]
    public async Task Deleting_a_workspace_takes_its_links_along()
    {
        await using var db = await TempDatabase.CreateAsync();
        var store = new ShareLinkStore(db.Factory(), TimeProvider.System);
        var link = await store.CreateAsync("Ledgerloom", "board");
        await using (var ctx = await db.Factory().CreateDbContextAsync())
            await ctx.Workspaces.Where(w => w.Name == "Ledgerloom").ExecuteDeleteAsync();
        Assert.Null(await store.ResolveAsync(link.Token!));
    }
}
