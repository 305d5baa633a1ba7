namespace Planner.E2E.Tests;

public sealed class ExposureTests
{
    [Fact]
    public async Task The_app_refuses_to_listen_beyond_this_machine_without_an_explicit_setting()
    {
        var (exitCode, output) = await AppServer.RunUntilExitAsync("http://0.0.0.0:0");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Refusing to listen on http://0.0.0.0:0", output);
    }

    [Fact]
    public async Task An_exposed_app_refuses_to_start_until_an_administrator_password_is_set()
    {
        var (exitCode, output) = await AppServer.RunUntilExitAsync("http://0.0.0.0:0", new Dictionary<string, string> { ["Planner__AllowRemoteAccess"] = "true" });
        Assert.Equal(1, exitCode);
        Assert.Contains("no administrator password is set", output);
        Assert.Contains("planner admin-password", output);
    }
}
