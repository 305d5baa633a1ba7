namespace Planner.E2E.Tests;

/// <summary>The data directory and everything the programs write into it are the owner's alone.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateFilesTests
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static void AssertOwnerOnly(string dataDirectory)
    {
        Assert.Equal(Folder, System.IO.File.GetUnixFileMode(dataDirectory));
        var entries = Directory.EnumerateFileSystemEntries(dataDirectory, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(entries, e => e.EndsWith("planner.db", StringComparison.Ordinal));
        foreach (var entry in entries)
            Assert.True((System.IO.File.GetUnixFileMode(entry) & ~(Directory.Exists(entry) ? Folder : File)) == 0,
                $"{Path.GetRelativePath(dataDirectory, entry)} is {System.IO.File.GetUnixFileMode(entry)}");
    }

    [Fact]
    public async Task The_web_app_and_the_cli_create_owner_only_folders_and_files_even_in_an_existing_open_folder()
    {
        var web = Built.NewTempDirectory("private-web");
        System.IO.File.SetUnixFileMode(web, Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await using (var app = await AppServer.StartAsync(web))
        {
            using var http = new HttpClient();
            Assert.True((await http.GetAsync(app.BaseUrl + "/healthz")).IsSuccessStatusCode);
        }
        AssertOwnerOnly(web);
        Assert.True(Directory.Exists(Path.Combine(web, "keys")) && Directory.Exists(Path.Combine(web, "documents")));

        var cli = Path.Combine(Built.NewTempDirectory("private-cli"), "data");
        var run = await CliProcess.RunAsync(cli, Built.RepositoryRoot, null, "workspaces");
        Assert.Equal(0, run.ExitCode);
        AssertOwnerOnly(cli);
    }
}
