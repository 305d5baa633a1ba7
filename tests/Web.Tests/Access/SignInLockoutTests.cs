using Planner.Web.Access;

namespace Planner.Web.Tests.Access;

public class SignInLockoutTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Ten_wrong_passwords_within_five_minutes_lock_sign_in_for_five_minutes_after_the_last()
    {
        var clock = new Clock();
        var lockout = new SignInLockout(clock);
        for (var i = 0; i < SignInLockout.MaxFailures - 1; i++)
        {
            lockout.RecordFailure();
            clock.Now += TimeSpan.FromSeconds(20);
        }
        Assert.Null(lockout.LockedUntil());

        lockout.RecordFailure();
        var lockedAt = clock.Now;
        Assert.Equal(lockedAt + SignInLockout.LockTime, lockout.LockedUntil());
        clock.Now = lockedAt + SignInLockout.LockTime - TimeSpan.FromSeconds(1);
        Assert.NotNull(lockout.LockedUntil());
        clock.Now = lockedAt + SignInLockout.LockTime;
        Assert.Null(lockout.LockedUntil());
    }

    [Fact]
    public void Failures_older_than_the_window_and_failures_before_a_success_do_not_count()
    {
        var clock = new Clock();
        var lockout = new SignInLockout(clock);
        for (var i = 0; i < SignInLockout.MaxFailures - 1; i++) lockout.RecordFailure();
        clock.Now += SignInLockout.Window;
        lockout.RecordFailure(); // the nine before are five minutes old
        Assert.Null(lockout.LockedUntil());

        for (var i = 0; i < SignInLockout.MaxFailures - 2; i++) lockout.RecordFailure();
        lockout.RecordSuccess();
        lockout.RecordFailure();
        Assert.Null(lockout.LockedUntil());
    }
}
