using Planner.Persistence;
using Planner.Security;

namespace Planner.Tests.Persistence;

public sealed class ApiTokenStoreTests
{
    private sealed class Clock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [PostgresData]
    public async Task A_token_is_accepted_until_it_expires_or_is_revoked_and_an_unknown_one_never(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var clock = new Clock(new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var store = new ApiTokenStore(db.Factory(), clock);

        var lasting = await store.CreateAsync("script", null, null);
        var brief = await store.CreateAsync("assistant", "Ledgerloom", clock.Now.UtcDateTime.AddDays(1));
        Assert.Equal("Ledgerloom", (await store.CheckAsync(brief.Secret!)).Token!.Workspace);

        clock.Now = clock.Now.AddDays(2);
        Assert.Contains("expired on 2027-03-02 12:00 UTC", (await store.CheckAsync(brief.Secret!)).Refusal);
        Assert.NotNull((await store.CheckAsync(lasting.Secret!)).Token);

        Assert.True(await store.RevokeAsync(lasting.Token!.Prefix));
        Assert.Equal("The token 'script' was revoked.", (await store.CheckAsync(lasting.Secret!)).Refusal);
        Assert.Equal("The token is not known here.", (await store.CheckAsync(ApiTokenSecret.NewToken())).Refusal);
        Assert.Equal("The token is not a Planner access token.", (await store.CheckAsync("Bearer; DROP TABLE")).Refusal);
        Assert.Contains("in the past", (await store.CreateAsync("late", null, clock.Now.UtcDateTime.AddMinutes(-1))).Error);
        Assert.Equal(2, (await store.ListAsync()).Count);
    }
}
