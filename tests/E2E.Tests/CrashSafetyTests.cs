using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Planner.Engine.Model;
using Planner.Engine.Training;
using Xunit.Abstractions;

namespace Planner.E2E.Tests;

/// <summary>kill -9 of the real `planner` process in the middle of writing, or a disk that fills up, then a restart: nothing is corrupt and at
/// most the interrupted operation is lost. Kills are triggered by what can be observed from outside (bytes the process
/// has written, a temp file appearing), never by waiting a fixed time.</summary>
public sealed class CrashSafetyTests(ITestOutputHelper output) : IDisposable
{
    private readonly string work = Built.NewTempDirectory("crash");

    /// <summary>The sample roadmap grown to <paramref name="copies"/> × 36 initiatives (about 1 MB at 40; half that here), titles
    /// marked with <paramref name="mark"/> so two versions differ everywhere.</summary>
    private string BigRoadmap(string mark, int copies)
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(Built.RepositoryRoot, "data", "sample", "roadmap.json")))!.AsObject();
        var initiatives = new JsonArray();
        for (var copy = 0; copy < copies; copy++)
        {
            foreach (var original in sample["initiatives"]!.AsArray())
            {
                var item = original!.DeepClone().AsObject();
                item["id"] = $"{item["id"]}-{copy}";
                item["title"] = $"{item["title"]} ({mark} {copy})";
                foreach (var dep in item["dependsOn"]?.AsArray().ToList() ?? [])
                {
                    // A dependency is an id, or {"id", "lagWeeks"}.
                    if (dep is JsonObject withLag) withLag["id"] = $"{withLag["id"]}-{copy}";
                    else dep!.ReplaceWith($"{dep}-{copy}");
                }
                foreach (var timing in new[] { "deadline", "deadlineHard", "earliestStart" }) item.Remove(timing);
                initiatives.Add(item);
            }
        }
        sample["initiatives"] = initiatives;
        var file = Path.Combine(work, $"roadmap-{mark}.json");
        File.WriteAllText(file, sample.ToJsonString());
        return file;
    }

    private async Task ImportAsync(string data, string file)
    {
        var run = await CliProcess.RunAsync(data, work, null, "import", file, "--no-seed");
        Assert.True(run.ExitCode == 0, run.Stderr);
    }

    private async Task<string> ExportAsync(string data)
    {
        var run = await CliProcess.RunAsync(data, work, null, "export", "--format", "json", "--no-seed");
        Assert.True(run.ExitCode == 0, run.Stderr);
        return run.Stdout;
    }

    private static string IntegrityCheck(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>Bytes the process has written so far (Linux /proc/PID/io), or null once it has gone.</summary>
    private static long? BytesWritten(Process process)
    {
        try
        {
            var line = File.ReadLines($"/proc/{process.Id}/io").First(l => l.StartsWith("wchar:", StringComparison.Ordinal));
            return process.HasExited ? null : long.Parse(line["wchar:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { return null; }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (then kills the process at once: SIGKILL) or the
    /// process exits by itself. Returns whether it was killed.</summary>
    private static async Task<bool> KillWhenAsync(Process process, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!process.HasExited && DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                try { process.Kill(); } catch (InvalidOperationException) { return false; } // finished in between
                await process.WaitForExitAsync();
                return true;
            }
            await Task.Delay(1);
        }
        Assert.True(process.HasExited, "The process neither reached the kill point nor finished within 2 minutes.");
        return false;
    }

    [Fact]
    public async Task A_roadmap_import_killed_at_any_moment_leaves_the_old_or_the_new_roadmap_whole()
    {
        var (a, b) = (BigRoadmap("A", 20), BigRoadmap("B", 15));
        // What each roadmap looks like once saved, and how many bytes a whole import writes.
        var reference = Path.Combine(work, "reference");
        await ImportAsync(reference, a);
        var expectedA = await ExportAsync(reference);
        long total = 0;
        using (var clean = CliProcess.Start(reference, work, false, "import", b, "--no-seed"))
        {
            await KillWhenAsync(clean, () => { total = BytesWritten(clean) ?? total; return false; });
            Assert.Equal(0, clean.ExitCode);
        }
        var expectedB = await ExportAsync(reference);
        Assert.NotEqual(expectedA, expectedB);

        var data = Path.Combine(work, "data");
        await ImportAsync(data, a);
        var current = expectedA;
        var random = new Random(7);
        for (var round = 0; round < 3; round++)
        {
            var (file, expectedNext) = current == expectedA ? (b, expectedB) : (a, expectedA);
            var killAt = (long)(total * (0.2 + 0.8 * random.NextDouble()));
            using var import = CliProcess.Start(data, work, false, "import", file, "--no-seed");
            var killed = await KillWhenAsync(import, () => BytesWritten(import) >= killAt);

            Assert.Equal("ok", IntegrityCheck(Path.Combine(data, "planner.db")));
            var after = await ExportAsync(data); // a restart: the CLI opens the database as the app would
            var outcome = after == current ? "old roadmap" : after == expectedNext ? "new roadmap" : "MIXED";
            output.WriteLine($"round {round}: {(killed ? $"killed after {killAt:N0} of ~{total:N0} bytes" : "finished first")} -> {outcome}");
            Assert.NotEqual("MIXED", outcome);
            current = after;
        }
    }

    [Fact]
    public async Task A_gguf_export_killed_midway_leaves_no_partial_model_and_the_previous_one_loads()
    {
        var checkpoint = Path.Combine(work, "checkpoint");
        // 182 MB as f32: a write long enough for the poll below to see under a busy suite (at 86 MB it once did not).
        using (var model = new Gpt(new GptConfig(GptConfig.Gpt2VocabSize, 256, Layers: 1, Heads: 2, Embedding: 768), seed: 5))
            new CheckpointStore().Save(checkpoint, new CheckpointMetadata(CheckpointMetadata.LanguageModel, model.Config, 1, null, 0, new TrainingConfig()), model);
        var models = Path.Combine(work, "models");
        var target = Path.Combine(models, "docs.gguf");
        var first = await CliProcess.RunAsync(work, work, null, "export-model", "--checkpoint", checkpoint, "--out", target, "--dtype", "f32");
        Assert.True(first.ExitCode == 0, first.Stderr);
        var previous = SHA256.HashData(File.ReadAllBytes(target));
        var fullSize = new FileInfo(target).Length;

        // Kill once the new file has begun, and once it is half written.
        foreach (var killAt in new[] { 1L, fullSize / 2 })
        {
            using var export = CliProcess.Start(work, work, false, "export-model", "--checkpoint", checkpoint, "--out", target, "--dtype", "f32");
            var before = Directory.GetFiles(models);
            var killed = await KillWhenAsync(export, () =>
                Directory.EnumerateFiles(models).Except(before).Any(f => new FileInfo(f).Length >= killAt));
            // The first kill point (the file has begun) is always reached; a fast disk may finish the export before the
            // half-way poll sees it — then the finished file must be the same model (the export is deterministic).
            Assert.True(killed || killAt > 1, $"the export finished before it could be interrupted (exit code {export.ExitCode}: {export.StandardError.ReadToEnd()})");
            output.WriteLine($"{(killed ? "killed" : "finished first")} with a temp file of at least {killAt:N0} bytes; folder: {string.Join(", ", Directory.EnumerateFiles(models).Select(Path.GetFileName))}");

            // What the model registry would offer: *.gguf files only — just the previous model, byte for byte.
            Assert.Equal([target], Directory.GetFiles(models, "*.gguf", SearchOption.AllDirectories));
            Assert.Equal(previous, SHA256.HashData(File.ReadAllBytes(target)));
        }
        var load = await CliProcess.RunAsync(work, work, null, "generate", "--model", target, "--prompt", "Customers want", "--max-tokens", "4", "--seed", "1");
        Assert.True(load.ExitCode == 0, load.Stderr);

        // The next export finishes and clears what the killed ones left.
        Assert.Equal(0, (await CliProcess.RunAsync(work, work, null, "export-model", "--checkpoint", checkpoint, "--out", target, "--dtype", "f32")).ExitCode);
        Assert.Equal([target], Directory.GetFiles(models));
    }

    [Fact]
    public async Task A_training_run_killed_while_writing_a_checkpoint_resumes_from_the_last_whole_one()
    {
        var docs = Path.Combine(Built.RepositoryRoot, "data", "sample", "docs");
        var run = Path.Combine(work, "run");
        var latest = Path.Combine(run, "checkpoint");
        string[] Train(params string[] extra) => ["train", "--corpus", docs, "--out", run, "--preset", "tiny", "--batch", "1", "--seed", "3", .. extra];
        string[] PartialCheckpoints() => Directory.Exists(run) ? Directory.GetDirectories(run, "checkpoint.tmp-*") : [];

        // A checkpoint every step; killed once one exists whole and the next is being written (its weights begun,
        // its config.json — written last — not yet).
        using (var training = CliProcess.Start(work, work, false, Train("--steps", "4", "--eval-interval", "1")))
        {
            var killed = await KillWhenAsync(training, () =>
                File.Exists(Path.Combine(latest, "config.json")) &&
                PartialCheckpoints().Any(t => File.Exists(Path.Combine(t, "model.safetensors")) && !File.Exists(Path.Combine(t, "config.json"))));
            Assert.True(killed, "the run finished before a checkpoint write could be interrupted");
        }
        Assert.NotEmpty(PartialCheckpoints());
        var saved = JsonNode.Parse(File.ReadAllText(Path.Combine(latest, "config.json")))!["step"]!.GetValue<long>();
        output.WriteLine($"killed while writing the checkpoint after step {saved}; left behind: {string.Join(", ", PartialCheckpoints().Select(Path.GetFileName))}");
        Assert.InRange(saved, 1, 3);

        // The whole checkpoint loads; the partial one is not taken for it.
        var eval = await CliProcess.RunAsync(work, work, null, "eval", "--checkpoint", latest, "--corpus", docs);
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.True(JsonNode.Parse(eval.Stdout)!["perplexity"]!.GetValue<double>() > 1);

        // Resuming continues from that step, finishes, and clears what the killed write left.
        var resumed = await CliProcess.RunAsync(work, work, null, Train("--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains($"Resuming from step {saved} of 4 with the saved settings.", resumed.Stdout);
        Assert.Contains("Finished at step 4", resumed.Stdout);
        Assert.Empty(PartialCheckpoints());
        var steps = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(line => JsonNode.Parse(line)!["step"]!.GetValue<long>());
        Assert.Equal([1L, 2, 3, 4], steps);
    }

    [Fact]
    public async Task A_training_run_that_fills_the_disk_stops_saying_so_and_resumes_from_its_last_whole_checkpoint()
    {
        // A real full disk: a 300 MB tmpfs mounted in a private mount namespace (unshare: no effect outside the test).
        // A tiny model's checkpoints take 256 MB (weights 64 MB in best/, weights and optimizer 192 MB in checkpoint/),
        // so the step-1 save fits and the step-2 save runs out of space. What the run leaves is copied out before the
        // namespace, and its tmpfs, go away.
        var docs = Path.Combine(Built.RepositoryRoot, "data", "sample", "docs");
        var mount = Path.Combine(work, "small-disk");
        var kept = Path.Combine(work, "kept");
        Directory.CreateDirectory(mount);
        var script = """
            mount -t tmpfs -o size=300m planner-test "$1" || exit 90
            dotnet "$2" train --corpus "$3" --out "$1/run" --preset tiny --batch 1 --seed 3 --steps 2 --eval-interval 1
            code=$?
            cp -a "$1/run" "$4" || exit 91
            exit $code
            """;
        var start = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = work };
        foreach (var a in new[] { "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", mount, Built.CliDll, docs, kept }) start.ArgumentList.Add(a);
        start.Environment["Planner__DataDirectory"] = Path.Combine(work, "data");
        using var training = Process.Start(start)!;
        var (stdout, stderr) = (training.StandardOutput.ReadToEndAsync(), training.StandardError.ReadToEndAsync());
        await training.WaitForExitAsync();
        output.WriteLine(await stdout);
        output.WriteLine(await stderr);
        Assert.True(training.ExitCode is not (90 or 91), $"the test could not set up its small disk (unshare --user --mount, tmpfs): {await stderr}");

        var latest = Path.Combine(kept, "checkpoint");
        Assert.Equal(1, training.ExitCode);
        Assert.Matches(@"^planner: Training stopped at step 2: No space left on device", await stderr);
        Assert.Contains($"The checkpoint from step 1 ({Path.Combine(mount, "run", "checkpoint")}) is whole: free some disk space, then resume the run from it. " +
                        "Run the same command with --resume.", await stderr);
        Assert.Equal(1, JsonNode.Parse(File.ReadAllText(Path.Combine(latest, "config.json")))!["step"]!.GetValue<long>());
        Assert.Empty(Directory.GetDirectories(kept, "*.tmp-*")); // the failed save cleared its partial folder

        // With space again the whole checkpoint loads and the run resumes from it to the end.
        var resumed = await CliProcess.RunAsync(work, work, null, "train", "--corpus", docs, "--out", kept, "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("Resuming from step 1 of 2 with the saved settings.", resumed.Stdout);
        Assert.Contains("Finished at step 2", resumed.Stdout);
    }

    public void Dispose()
    {
        try { Directory.Delete(work, recursive: true); } catch (IOException) { }
    }
}
