using Planner.Security;

namespace Planner.Cli.Tests.Commands;

public sealed class AdminPasswordCommandTests
{
    [Fact]
    public async Task The_password_is_kept_only_as_a_salted_hash_that_verifies_it()
    {
        using var data = new TempFolder();
        var run = await CliRun.WithInput("a long enough secret\n", "admin-password", "--data-dir", data.Path);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var file = await File.ReadAllTextAsync(data.File(AdminPassword.FileName));
        Assert.DoesNotContain("a long enough secret", file);
        Assert.Contains("PBKDF2-HMAC-SHA256", file);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(data.File(AdminPassword.FileName)));
        var stored = new AdminPassword(data.Path);
        Assert.True(stored.Verify("a long enough secret"));
        Assert.False(stored.Verify("a long enough secreT"));

        var stamp = stored.Stamp();
        Assert.Equal(0, (await CliRun.WithInput("another long secret\n", "admin-password", "--data-dir", data.Path)).ExitCode);
        Assert.NotEqual(stamp, stored.Stamp());
        Assert.False(stored.Verify("a long enough secret"));
    }

    [Theory]
    [InlineData("", "no password given")]
    [InlineData("short\n", "at least 12 characters")]
    public async Task A_missing_or_short_password_is_refused_and_nothing_is_written(string input, string reason)
    {
        using var data = new TempFolder();
        var run = await CliRun.WithInput(input, "admin-password", "--data-dir", data.Path);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(reason, run.Stderr);
        Assert.False(new AdminPassword(data.Path).IsSet);
    }
}
