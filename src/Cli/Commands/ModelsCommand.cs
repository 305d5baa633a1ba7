using System.CommandLine;
using Planner.Hosting.Hub;
using Planner.Llm;

namespace Planner.Cli.Commands;

/// <summary><c>planner models list|pull|token</c>: the local models, downloads from a Hugging Face–compatible hub
/// (resumable, verified, placed atomically), and the hub token kept encrypted.</summary>
public static class ModelsCommand
{
    public static Command Create(TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        new("models", "Local models, and downloads from the model hub (Planner:Hub:BaseUrl or HF_ENDPOINT; default huggingface.co).")
        {
            List(stdout),
            Pull(stdout, stderr),
            Token(stdin, stdout, stderr),
        };

    private static Command List(TextWriter stdout)
    {
        var command = new Command("list", "The GGUF models in the models folders, with their architecture and context, or why one cannot be used.");
        command.SetAction(async (parsed, ct) =>
        {
            var registry = ModelRegistry.For(CliServices.Paths(parsed));
            var models = registry.Scan();
            if (models.Count == 0) await stdout.WriteLineAsync($"No models yet in {string.Join(" or ", registry.Folders)}. Get one with 'planner models pull <owner/name>'.");
            foreach (var model in models)
            {
                var what = model.Info is { } info ? $"{info.Architecture ?? "?"}, context {info.ContextLength}, {ModelDownloader.Size(new FileInfo(model.Path).Length)}" : "unreadable";
                await stdout.WriteLineAsync($"{model.Path}  ({what}){(model.Problem is { } p ? $" — {p}" : "")}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Pull(TextWriter stdout, TextWriter stderr)
    {
        var repository = new Argument<string>("repository") { Description = "The hub repository, owner/name (e.g. openai-community/gpt2)." };
        var file = new Argument<string?>("file") { Description = "The .gguf or .safetensors file in it; left out: the repository's model files are listed (and the only one is pulled).", Arity = ArgumentArity.ZeroOrOne };
        var revision = new Option<string?>("--revision") { Description = "Branch, tag or commit (default main)." };
        var command = new Command("pull",
            "Download a model file into the models folder: refused before it starts when the disk lacks room, resumed where it stopped " +
            "(after Ctrl+C, a dropped connection or a killed process), checked against the hub's SHA-256 and placed only when whole.")
        {
            repository, file, revision,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var paths = CliServices.Paths(parsed);
            try
            {
                var settings = HubSettings.From(CliServices.Configuration(parsed), (await CliServices.HubTokensAsync(parsed, ct)).Read());
                using var hub = new HubClient(settings);
                var repo = parsed.GetValue(repository)!;
                var path = parsed.GetValue(file);
                if (path is null)
                {
                    var models = (await hub.ListFilesAsync(repo, parsed.GetValue(revision), ct))
                        .Where(f => f.Path.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) || f.Path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                        .ToList();
                    if (models.Count != 1)
                    {
                        await (models.Count == 0 ? stderr : stdout).WriteLineAsync(models.Count == 0
                            ? $"planner: {repo} holds no .gguf or .safetensors file."
                            : $"{repo} holds {models.Count} model files; name one:");
                        foreach (var m in models) await stdout.WriteLineAsync($"  {m.Path}  {ModelDownloader.Size(m.Size)}");
                        return models.Count == 0 ? ExitCodes.BadInput : ExitCodes.Usage;
                    }
                    path = models[0].Path;
                }
                var downloader = new ModelDownloader(hub, paths.ModelsDirectory);
                var printer = new ProgressPrinter(stdout);
                var result = await downloader.DownloadAsync(repo, path, parsed.GetValue(revision), printer, ct);
                await stdout.WriteLineAsync(result.AlreadyPresent
                    ? $"{result.FilePath} is already here ({ModelDownloader.Size(result.Size)})."
                    : $"Saved {result.FilePath} ({ModelDownloader.Size(result.Size)}, SHA-256 {result.Sha256[..16]}… verified{(result.BytesFetched < result.Size ? $", resumed: {ModelDownloader.Size(result.BytesFetched)} fetched now" : "")}).");
                return ExitCodes.Ok;
            }
            catch (HubException e)
            {
                return await ImportCommand.Fail(stderr, e.Message);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await stderr.WriteLineAsync("planner: download stopped; what arrived is kept — run the same command to resume.");
                return ExitCodes.Cancelled;
            }
        });
        return command;
    }

    /// <summary>A training base: a path as given, or <c>hf:owner/name[/file]</c> pulled into the models folder first (the
    /// file defaults to <c>model.safetensors</c>; one already there is used as it is).</summary>
    public static async Task<string?> ResolveInitAsync(ParseResult parsed, string? init, TextWriter stdout, CancellationToken ct)
    {
        if (init is null || !init.StartsWith("hf:", StringComparison.Ordinal)) return init;
        var parts = init[3..].Split('/', 3);
        var repository = parts.Length >= 2 ? $"{parts[0]}/{parts[1]}" : init[3..];
        var file = parts.Length == 3 ? parts[2] : "model.safetensors";
        var paths = CliServices.Paths(parsed);
        using var hub = new HubClient(HubSettings.From(CliServices.Configuration(parsed), (await CliServices.HubTokensAsync(parsed, ct)).Read()));
        var downloader = new ModelDownloader(hub, paths.ModelsDirectory);
        var destination = downloader.DestinationOf(repository, file);
        if (File.Exists(destination)) return destination;
        await stdout.WriteLineAsync($"Pulling {file} from {repository} …");
        var result = await downloader.DownloadAsync(repository, file, null, new ProgressPrinter(stdout), ct);
        await stdout.WriteLineAsync($"Saved {result.FilePath} (SHA-256 verified).");
        return result.FilePath;
    }

    private static Command Token(TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var clear = new Option<bool>("--clear") { Description = "Forget the saved token." };
        var command = new Command("token", "Save a Hugging Face access token (read from standard input; kept encrypted in the database) for gated or private repositories.")
        {
            clear,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var store = await CliServices.HubTokensAsync(parsed, ct);
            if (parsed.GetValue(clear))
            {
                store.Clear();
                await stdout.WriteLineAsync("The hub token was removed.");
                return ExitCodes.Ok;
            }
            var token = (await stdin.ReadLineAsync(ct))?.Trim();
            if (string.IsNullOrEmpty(token) || token.Length > 1000 || token.Any(char.IsWhiteSpace))
                return await ImportCommand.Fail(stderr, "no token was given on standard input (one line, e.g. echo \"$HF_TOKEN\" | planner models token).");
            store.Save(token);
            await stdout.WriteLineAsync("The hub token was saved, encrypted, in the database.");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One line per tenth of the file, and the last: a terminal log stays short, a pipe stays readable.</summary>
    private sealed class ProgressPrinter(TextWriter stdout) : IProgress<DownloadProgress>
    {
        private int lastTenth = -1;

        public void Report(DownloadProgress value)
        {
            var tenth = (int)(value.Fraction * 10);
            if (tenth == lastTenth) return;
            lastTenth = tenth;
            var eta = value.Remaining is { } left && value.Received < value.Total ? $", {left:hh\\:mm\\:ss} left" : "";
            var resumed = value.ResumedFrom > 0 ? $" (resumed at {ModelDownloader.Size(value.ResumedFrom)})" : "";
            stdout.WriteLine($"  {value.Fraction:P0} of {ModelDownloader.Size(value.Total)}, {ModelDownloader.Size((long)value.BytesPerSecond)}/s{eta}{resumed}");
        }
    }
}
