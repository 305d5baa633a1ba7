using System.CommandLine;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Planner.Assistant;
using Planner.Assistant.Drafting;
using Planner.Documents;
using Planner.Interchange;
using Planner.Llm;
using Planner.Persistence;
using Planner.Roadmaps;
using Planner.Scenarios;
using Planner.Scheduling;
using Planner.Files;

namespace Planner.Cli.Commands;

/// <summary><c>planner draft</c>: drafts initiatives from a brief with a local GGUF model, scores and schedules them
/// with the planning engine, prints the result and the narrative, and writes the roadmap with the drafted items
/// added to <c>--out</c> (never into the database: import the file to adopt it).</summary>
public static class DraftCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = ModelCommandOptions.Required("--model", "A GGUF model file.");
        var brief = ModelCommandOptions.Required("--brief", "What the roadmap should achieve, in a few sentences.");
        var docs = new Option<DirectoryInfo?>("--docs") { Description = "A folder of documents (txt, md, pdf, csv) to draw passages from." };
        var roadmap = new Option<FileInfo?>("--roadmap") { Description = "A roadmap JSON file to draft for (default: the workspace in the data directory)." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the roadmap with the drafted initiatives added to this JSON file." };
        var items = new Option<int>("--items") { Description = "Most initiatives to propose (1–12).", DefaultValueFactory = _ => 5 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most tokens of the model's JSON reply.", DefaultValueFactory = _ => 600 };
        var temperature = ModelCommandOptions.Double("--temperature", "Sampling temperature of the draft (default 0.4).");
        var seed = ModelCommandOptions.Int("--seed", "Sampling seed (default: random).");
        var saveReply = new Option<FileInfo?>("--save-reply") { Description = "Also write the model's raw JSON reply to this file (to see what was dropped and why)." };
        var command = new Command("draft", "Draft roadmap initiatives from a brief with a local model; the planner scores and schedules them.")
        {
            model, brief, docs, roadmap, output, items, maxTokens, temperature, seed, saveReply, CliOptions.Workspace,
        };
        command.SetAction((parsed, ct) => ModelCommandOptions.Run(stderr, async () =>
        {
            var path = Path.GetFullPath(parsed.GetValue(model)!);
            if (!File.Exists(path)) throw new FileNotFoundException($"{parsed.GetValue(model)}: no such model file.");
            var text = parsed.GetValue(brief)!;
            if (RoadmapDrafter.CheckBrief(text) is { } badBrief) throw new ArgumentException(badBrief);
            var options = new DraftOptions { MaxItems = parsed.GetValue(items), MaxOutputTokens = parsed.GetValue(maxTokens), Temperature = parsed.GetValue(temperature) ?? 0.4 };
            if (options.Check() is { } badOptions) throw new ArgumentException(badOptions);

            var workspace = await LoadWorkspace(parsed, parsed.GetValue(roadmap), ct);
            using var index = new DocumentIndex(null);
            if (parsed.GetValue(docs) is { } folder) await IndexFolder(index, folder, stderr, ct);

            using var runtime = Runtime(path, parsed.GetValue(seed));
            var backend = new LocalChatBackendProvider(runtime).Current(out var problem) ?? throw new ArgumentException(problem);

            var drafter = new RoadmapDrafter(PromptLibrary.Load(PromptLibrary.DefaultFolder), new ScenarioRunner(new CpSatScheduler()), parsed.GetValue(docs) is null ? null : index.Search);
            await stderr.WriteLineAsync($"Drafting with {Path.GetFileName(path)} for {workspace.Name}…");
            var draft = await drafter.DraftAsync(backend, workspace, text, options, ct: ct);
            if (parsed.GetValue(saveReply) is { } replyFile) await AtomicFile.WriteAllBytesAsync(replyFile.FullName, Encoding.UTF8.GetBytes(draft.Reply), ct);
            foreach (var p in draft.Problems) await stderr.WriteLineAsync($"  {p}");
            if (draft.Items.Count == 0 || draft.Result is null)
            {
                await stderr.WriteLineAsync("planner: nothing was drafted; nothing written.");
                return ExitCodes.BadInput;
            }
            await stdout.WriteLineAsync($"Drafted {draft.Items.Count} initiative{(draft.Items.Count == 1 ? "" : "s")}:");
            await stdout.WriteLineAsync(RoadmapDrafter.Facts(draft));
            foreach (var passage in draft.Passages) await stdout.WriteLineAsync($"  source: {passage.Citation}");
            var narrative = new StringBuilder();
            await foreach (var piece in drafter.SummarizeAsync(backend, draft, ct)) narrative.Append(piece);
            await stdout.WriteLineAsync($"Summary (written by the model from the facts above): {narrative.ToString().Trim()}");

            if (parsed.GetValue(output) is { } file)
            {
                var accepted = RoadmapDrafter.Accept(workspace, draft, [.. draft.Items.Select(i => i.Key)]);
                await AtomicFile.WriteAllBytesAsync(file.FullName, Encoding.UTF8.GetBytes(RoadmapJson.Serialize(accepted)), ct);
                await stdout.WriteLineAsync($"Wrote {file.Name}: {accepted.Initiatives.Count} initiatives ({draft.Items.Count} drafted). Adopt it with 'planner import {file.Name}'.");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>A runtime serving the GGUF file <paramref name="file"/>; a missing or unusable file is the user's
    /// mistake, said in an <see cref="ArgumentException"/> or <see cref="FileNotFoundException"/>.</summary>
    internal static LanguageModelRuntime Runtime(string file, int? seed)
    {
        var path = Path.GetFullPath(file);
        if (!File.Exists(path)) throw new FileNotFoundException($"{file}: no such model file.");
        var registry = new ModelRegistry([Path.GetDirectoryName(path)!]);
        var entry = registry.Scan().First(e => e.Path == path);
        if (!entry.Usable) throw new ArgumentException($"{entry.FileName}: {entry.Problem}");
        var runtime = new LanguageModelRuntime(registry);
        runtime.Choose(path, ModelSettings.Default with { Seed = seed });
        return runtime;
    }

    private static async Task<Workspace> LoadWorkspace(ParseResult parsed, FileInfo? file, CancellationToken ct)
    {
        if (file is not null)
        {
            var (workspace, error) = await RoadmapFile.ReadAsync(file, ct);
            return workspace ?? throw new ArgumentException(error);
        }
        await using var services = await CliServices.StartAsync(parsed, ct);
        var name = parsed.GetValue(CliOptions.Workspace);
        return await services.GetRequiredService<RoadmapStore>().LoadAsync(name, ct)
               ?? throw new ArgumentException(name is null ? "there is no workspace yet: import a roadmap first." : $"there is no workspace '{name}'.");
    }

    private static async Task IndexFolder(DocumentIndex index, DirectoryInfo folder, TextWriter stderr, CancellationToken ct)
    {
        if (!folder.Exists) throw new DirectoryNotFoundException($"{folder.Name}: no such folder.");
        var id = 0;
        foreach (var file in folder.EnumerateFiles().Where(f => DocumentExtractor.Extensions.Contains(f.Extension.ToLowerInvariant())).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (file.Length > DocumentExtractor.MaxBytes) { await stderr.WriteLineAsync($"  skipped {file.Name}: larger than the document limit."); continue; }
            var extracted = DocumentExtractor.Extract(file.Name, await File.ReadAllBytesAsync(file.FullName, ct), file.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) ? "text" : null);
            if (!extracted.Ok) { await stderr.WriteLineAsync($"  skipped {file.Name}: {extracted.Error}"); continue; }
            index.Add(Chunker.Chunk(++id, file.Name, extracted.Kind, extracted.Segments));
        }
    }
}
