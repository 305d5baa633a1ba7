using Microsoft.Extensions.Configuration;
using Planner.Hosting.Hub;

namespace Planner.Hosting.Tests.Hub;

public sealed class HubSettingsTests
{
    private static IConfiguration Config(string? baseUrl = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(baseUrl is null ? [] : [new(HubSettings.BaseUrlKey, baseUrl)]).Build();

    [Fact]
    public void The_configured_address_wins_then_HF_ENDPOINT_then_huggingface_co()
    {
        var environment = new Dictionary<string, string?> { [HubSettings.EndpointVariable] = "http://mirror.local:8080" };

        Assert.Equal(new Uri("https://hub.example/"), HubSettings.From(Config("https://hub.example"), null, environment.GetValueOrDefault).BaseUrl);
        Assert.Equal(new Uri("http://mirror.local:8080/"), HubSettings.From(Config(), null, environment.GetValueOrDefault).BaseUrl);
        Assert.Equal(HubSettings.DefaultBaseUrl, HubSettings.From(Config(), null, _ => null).BaseUrl);
    }

    [Fact]
    public void The_saved_token_wins_over_HF_TOKEN()
    {
        var environment = new Dictionary<string, string?> { [HubSettings.TokenVariable] = "hf_env" };

        Assert.Equal("hf_saved", HubSettings.From(Config(), "hf_saved", environment.GetValueOrDefault).Token);
        Assert.Equal("hf_env", HubSettings.From(Config(), null, environment.GetValueOrDefault).Token);
        Assert.Null(HubSettings.From(Config(), null, _ => null).Token);
    }

    [Theory]
    [InlineData("ftp://hub.example")]
    [InlineData("not a url")]
    public void An_address_that_is_not_http_is_a_clear_error(string value)
    {
        var refused = Assert.Throws<HubException>(() => HubSettings.From(Config(value), null, _ => null));

        Assert.Equal(HubProblem.Configuration, refused.Problem);
        Assert.Contains(HubSettings.BaseUrlKey, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_token_is_stored_encrypted_and_read_back()
    {
        using var folder = new TempFolder();
        var store = new HubTokenStore(new Files.PlannerPaths(folder.Path));
        store.Save("hf_secret_value");

        Assert.DoesNotContain("hf_secret_value", File.ReadAllText(store.FilePath), StringComparison.Ordinal);
        Assert.Equal("hf_secret_value", new HubTokenStore(new Files.PlannerPaths(folder.Path)).Read());
        Assert.DoesNotContain(HubTokenStore.FileName, Backup.BackupContent.FilesToArchive(folder.Path, includeModels: true));
        store.Clear();
        Assert.Null(store.Read());
    }
}
