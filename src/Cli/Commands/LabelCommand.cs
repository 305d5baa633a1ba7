using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Planner.Assistant;
using Planner.Assistant.Labelling;
using Planner.Insights.Labelling;
using Planner.Llm;

namespace Planner.Cli.Commands;

/// <summary><c>planner label</c>: suggests a label of the label set for every review whose label column is empty, with
/// the chat model (<c>--model</c>, else the active one): zero-shot, or few-shot from the reviews that are labelled. When
/// the column already has labels, each labelled review is labelled again by the model (its own label left out of the
/// examples) and the command says how many agree: the model's accuracy against those labels.</summary>
public static class LabelCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var reviews = new Option<FileInfo>("--reviews") { Description = "A reviews CSV with a text column.", Required = true };
        var column = ModelCommandOptions.Required("--column", "The label column (e.g. sentiment); it may be missing or partly filled.");
        var labels = new Option<string?>("--labels") { Description = "The label set, comma-separated (default: the labels the column holds)." };
        var model = new Option<string?>("--model") { Description = "A GGUF model file (default: the active chat model, local or an OpenAI-compatible server)." };
        var shots = new Option<int>("--shots") { Description = $"Labelled reviews shown to the model as examples (0 to {ZeroShotLabeller.MaxExamples}; 0 is zero-shot).", DefaultValueFactory = _ => ZeroShotLabeller.MaxExamples };
        var limit = new Option<int?>("--limit") { Description = "Label at most this many reviews of each kind (unlabelled, and labelled for the agreement)." };
        var json = new Option<bool>("--json") { Description = "Print the suggestions and the agreement as JSON." };
        var export = new Option<FileInfo?>("--export") { Description = "Write the reviews with the founder's labels from the workspace filled into the column to this CSV (atomically), for train-classifier; no model is asked." };
        var save = new Option<bool>("--save") { Description = "Keep the suggestions in the workspace as the model's labels (the Label page shows them; the founder's labels are never replaced)." };
        var command = new Command("label", "Suggest labels for unlabelled reviews with the chat model; say how many agree with the labels the column has.")
        {
            reviews, column, labels, model, shots, limit, json, save, export, CliOptions.Workspace,
        };
        command.SetAction((parsed, ct) => ModelCommandOptions.Run(stderr, async () =>
        {
            var file = parsed.GetValue(reviews)!;
            if (!file.Exists) return await ImportCommand.Fail(stderr, $"{file.Name}: no such file.");
            var name = parsed.GetValue(column)!.Trim();
            if (parsed.GetValue(shots) is < 0 or > ZeroShotLabeller.MaxExamples) return await ImportCommand.Fail(stderr, $"--shots must be between 0 and {ZeroShotLabeller.MaxExamples}.");
            if (parsed.GetValue(limit) is < 1) return await ImportCommand.Fail(stderr, "--limit must be at least 1.");
            if (parsed.GetValue(export) is { } target) return await ExportAsync(parsed, file, name, target, stdout, stderr, ct);
            var (rows, error) = ColumnLabels.Read(await File.ReadAllBytesAsync(file.FullName, ct), file.Name, name);
            if (rows is null) return await ImportCommand.Fail(stderr, error!);
            IReadOnlyList<string> set = parsed.GetValue(labels) is { } given
                ? [.. given.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]
                : ColumnLabels.LabelSet(rows);
            if (set.Count == 0) return await ImportCommand.Fail(stderr, $"{file.Name} has no labels in a '{name}' column: give the label set with --labels a,b,c.");
            if (ZeroShotLabeller.CheckLabels(set) is { } bad) return await ImportCommand.Fail(stderr, bad);
            foreach (var warning in LabelSetCheck.NearDuplicates(set)) await stderr.WriteLineAsync($"warning: {warning}");

            using var own = parsed.GetValue(model) is { } gguf ? DraftCommand.Runtime(gguf, 0) : null;
            // Without --model, the active chat model chosen in the data directory's settings (local, or a server).
            await using var services = own is null || parsed.GetValue(save) ? await CliServices.StartAsync(parsed, ct) : null;
            var workspace = parsed.GetValue(save)
                ? (await services!.GetRequiredService<Persistence.RoadmapStore>().LoadAsync(parsed.GetValue(CliOptions.Workspace), ct))?.Name
                  ?? throw new ArgumentException("there is no workspace to save the labels in: import a roadmap first.")
                : null;
            var runtime = own ?? services!.GetRequiredService<LanguageModelRuntime>();
            var backend = (own is not null ? new LocalChatBackendProvider(own).Current(out var problem) : services!.GetRequiredService<IChatBackendProvider>().Current(out problem))
                          ?? throw new ArgumentException(problem);
            var labeller = new ZeroShotLabeller(PromptLibrary.Load(PromptLibrary.DefaultFolder));
            var most = parsed.GetValue(limit) ?? int.MaxValue;
            var labelled = rows.Where(r => set.Contains(r.Label, StringComparer.Ordinal)).ToList();
            var examples = labelled.Select(r => new LabelExample(r.Review.Text, r.Label)).ToList();
            var outside = rows.Count(r => r.Label.Length > 0 && !set.Contains(r.Label, StringComparer.Ordinal));
            if (outside > 0) await stderr.WriteLineAsync($"{outside} review{(outside == 1 ? "" : "s")} labelled outside the label set {(outside == 1 ? "is" : "are")} left out.");
            await stderr.WriteLineAsync($"Labelling with {backend.ModelName} ({(parsed.GetValue(shots) == 0 ? "zero-shot" : $"up to {parsed.GetValue(shots)} examples")})…");

            var clock = Stopwatch.StartNew();
            var suggestions = new List<(string Id, LabelSuggestion Suggestion)>();
            foreach (var row in rows.Where(r => r.Label.Length == 0).Take(most))
                suggestions.Add((row.Review.Id, await labeller.SuggestAsync(backend, runtime, name, row.Review.Text, set, examples, parsed.GetValue(shots), ct)));
            var checks = new List<(string Id, string Label, LabelSuggestion Suggestion)>();
            foreach (var row in labelled.Take(most))
            {
                var others = examples.Where(e => !ReferenceEquals(e.Text, row.Review.Text) && e.Text != row.Review.Text).ToList();
                checks.Add((row.Review.Id, row.Label, await labeller.SuggestAsync(backend, runtime, name, row.Review.Text, set, others, parsed.GetValue(shots), ct)));
            }
            var seconds = clock.Elapsed.TotalSeconds;
            if (workspace is not null)
            {
                var store = services!.GetRequiredService<Persistence.ReviewLabelStore>();
                foreach (var (id, suggestion) in suggestions)
                {
                    var text = rows.First(r => r.Review.Id == id).Review.Text;
                    var saved = await store.SetAsync(workspace, file.Name, name, ReviewKey.Of(text), suggestion.Label, 0, LabelSource.Model, suggestion.Confidence, backend.ModelName, suggestion.Margin, ct);
                    if (!saved.Ok) throw new ArgumentException(saved.Error);
                }
                await stderr.WriteLineAsync($"Kept {suggestions.Count} suggestion{(suggestions.Count == 1 ? "" : "s")} in workspace '{workspace}' as {backend.ModelName}'s labels of {file.Name} · {name}.");
            }
            var agreed = checks.Count(c => c.Suggestion.Label == c.Label);
            var majority = checks.Count == 0 ? 0 : checks.GroupBy(c => c.Label).Max(g => g.Count());

            if (parsed.GetValue(json))
            {
                var output = new JsonObject
                {
                    ["model"] = backend.ModelName,
                    ["column"] = name,
                    ["labels"] = new JsonArray([.. set.Select(l => (JsonNode)JsonValue.Create(l))]),
                    ["shots"] = parsed.GetValue(shots),
                    ["suggestions"] = new JsonArray([.. suggestions.Select(s => (JsonNode)Suggestion(s.Id, s.Suggestion))]),
                    ["agreement"] = checks.Count == 0 ? null : new JsonObject
                    {
                        ["checked"] = checks.Count,
                        ["agreed"] = agreed,
                        ["accuracy"] = Math.Round((double)agreed / checks.Count, 4),
                        ["majorityClassAccuracy"] = Math.Round((double)majority / checks.Count, 4),
                        ["reviews"] = new JsonArray([.. checks.Select(c => (JsonNode)Suggestion(c.Id, c.Suggestion, c.Label))]),
                    },
                    ["seconds"] = Math.Round(seconds, 2),
                };
                await stdout.WriteLineAsync(output.ToJsonString(Indented));
                return ExitCodes.Ok;
            }
            await stdout.WriteLineAsync(suggestions.Count == 0
                ? $"Every review of {file.Name} has a '{name}' label: nothing to suggest."
                : $"Suggested '{name}' labels for {suggestions.Count} unlabelled review{(suggestions.Count == 1 ? "" : "s")}:");
            foreach (var (id, s) in suggestions) await stdout.WriteLineAsync($"  {id,-12} {s.Label,-20} {Confidence(s)}");
            if (checks.Count > 0)
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Agreement with the column's labels: {agreed} of {checks.Count} ({(double)agreed / checks.Count:0.0%}); always answering the most common label would get {(double)majority / checks.Count:0.0%}."));
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{suggestions.Count + checks.Count} reviews labelled in {seconds:0.0} s."));
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The reviews file with the founder's labels (kept by the Label page under this file name and column)
    /// filled in, written atomically.</summary>
    private static async Task<int> ExportAsync(ParseResult parsed, FileInfo file, string column, FileInfo target, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        await using var services = await CliServices.StartAsync(parsed, ct);
        var workspace = (await services.GetRequiredService<Persistence.RoadmapStore>().LoadAsync(parsed.GetValue(CliOptions.Workspace), ct))?.Name
                        ?? throw new ArgumentException("there is no workspace yet: import a roadmap first.");
        var founder = await services.GetRequiredService<Persistence.ReviewLabelStore>().ListAsync(workspace, file.Name, column, ct);
        var (csv, filled, error) = LabelledReviewsCsv.Fill(await File.ReadAllBytesAsync(file.FullName, ct), file.Name, column, founder);
        if (csv is null) return await ImportCommand.Fail(stderr, error!);
        await Files.AtomicFile.WriteAllBytesAsync(target.FullName, csv, ct);
        var (rows, _) = ColumnLabels.Read(csv, target.Name, column);
        var given = rows!.Select(r => r.Label).Where(l => l.Length > 0).ToList();
        await stdout.WriteLineAsync($"Wrote {target.Name}: {rows!.Count} reviews, {filled} with your labels from workspace '{workspace}', {given.Count} with a '{column}' label in all.");
        if (LabelSetCheck.Problem(given) is { } problem) await stderr.WriteLineAsync($"Not yet trainable: {problem}");
        foreach (var warning in LabelSetCheck.NearDuplicates(given)) await stderr.WriteLineAsync($"warning: {warning}");
        return ExitCodes.Ok;
    }

    private static JsonObject Suggestion(string id, LabelSuggestion s, string? label = null)
    {
        var o = new JsonObject { ["id"] = id, ["label"] = s.Label, ["confidence"] = s.Confidence is { } c ? Math.Round(c, 4) : null };
        if (label is not null) o["columnLabel"] = label;
        return o;
    }

    private static string Confidence(LabelSuggestion s) =>
        s.Confidence is { } c ? string.Create(CultureInfo.InvariantCulture, $"confidence {c:0%}") : "confidence unknown (the server tells none)";
}
