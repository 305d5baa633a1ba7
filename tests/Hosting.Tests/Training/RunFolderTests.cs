using Planner.Hosting.Training;

namespace Planner.Hosting.Tests.Training;

public sealed class RunFolderTests
{
    [Fact]
    public async Task Disk_usage_counts_what_is_there_while_a_run_writes_and_renames_its_files()
    {
        using var folder = new TempFolder();
        var run = new RunFolder(folder.Path);
        Directory.CreateDirectory(Path.Combine(folder.Path, "checkpoints"));
        await File.WriteAllBytesAsync(Path.Combine(folder.Path, "metrics.jsonl"), new byte[1000]);
        // A run saving its state as every atomic write does: a temporary file, renamed over the last one.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var temp = Path.Combine(folder.Path, "checkpoints", $".state.json.{n}.tmp");
                File.WriteAllBytes(temp, new byte[10]);
                File.Move(temp, Path.Combine(folder.Path, "checkpoints", "state.json"), overwrite: true);
            }
        });
        try
        {
            // The Training page asks this on every render while the run writes (a file gone between listing and
            // measuring it once ended the page's session).
            for (var i = 0; i < 3000; i++) Assert.InRange(run.DiskUsage(), 1000, 1020);
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }
    }
}
