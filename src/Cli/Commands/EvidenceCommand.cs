using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Planner.Hosting.Evidence;
using Planner.Insights;
using Planner.Persistence;
using Planner.Roadmaps;

namespace Planner.Cli.Commands;

/// <summary><c>planner evidence</c>: classifies reviews, matches them to initiatives and prints each initiative's
/// evidence, with what changed against the evidence the roadmap already holds.</summary>
public static class EvidenceCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var checkpoints = new Option<string[]>("--checkpoint")
        {
            Description = "A review classifier checkpoint (or its training run folder); give one for sentiment and one for categories to get both.",
            Required = true,
        };
        var reviews = new Option<FileInfo>("--reviews") { Description = "A reviews CSV with a text column (id, source, customer, date, rating optional).", Required = true };
        var roadmap = new Option<FileInfo?>("--roadmap") { Description = "A roadmap JSON file (default: the current workspace)." };
        var json = new Option<bool>("--json") { Description = "Print the evidence as JSON." };
        var save = new Option<bool>("--save") { Description = "Store the evidence on the workspace's initiatives (not with --roadmap)." };
        var command = new Command("evidence", "Classify customer reviews, match them to initiatives and print the evidence per initiative.")
        {
            checkpoints, reviews, roadmap, CliOptions.Workspace, json, save,
        };
        command.SetAction((parsed, ct) => ModelCommandOptions.Run(stderr, parsed, trainingProcess: false, async _ =>
        {
            var reviewsFile = parsed.GetValue(reviews)!;
            if (!reviewsFile.Exists) return await ImportCommand.Fail(stderr, $"{reviewsFile.Name}: no such file.");
            var read = ReviewCsv.Read(await File.ReadAllBytesAsync(reviewsFile.FullName, ct), reviewsFile.Name);
            if (!read.Ok) return await ImportCommand.Fail(stderr, read.Error!);
            if (parsed.GetValue(save) && parsed.GetValue(roadmap) is not null)
                return await ImportCommand.Fail(stderr, "--save stores evidence on a workspace; it cannot be combined with --roadmap.");

            ServiceProvider? services = null;
            try
            {
                Workspace? workspace;
                if (parsed.GetValue(roadmap) is { } file)
                {
                    (workspace, var error) = await RoadmapFile.ReadAsync(file, ct);
                    if (workspace is null) return await ImportCommand.Fail(stderr, error!);
                }
                else
                {
                    services = await CliServices.StartAsync(parsed, ct);
                    var name = parsed.GetValue(CliOptions.Workspace);
                    workspace = await services.GetRequiredService<RoadmapStore>().LoadAsync(name, ct);
                    if (workspace is null)
                        return await ImportCommand.Fail(stderr, name is null ? "there is no workspace; import a roadmap or pass --roadmap." : $"there is no workspace named '{name}'.");
                }

                using var classifier = EngineReviewClassifier.Load(parsed.GetValue(checkpoints)!);
                var links = services is null ? [] : await services.GetRequiredService<InitiativeStore>().EvidenceLinksAsync(workspace.Name, ct);
                var run = await ReviewEvidence.ComputeAsync(classifier, workspace, read.Reviews, links: links, meaning: EncoderTextMeaning.Instance, ct: ct);
                var saved = services is not null && parsed.GetValue(save)
                    ? await services.GetRequiredService<RoadmapStore>().SetEvidenceAsync(workspace.Name, run.Evidence, ct)
                    : (int?)null;
                await stdout.WriteAsync(parsed.GetValue(json) ? ToJson(run, workspace, saved) : ToText(run, workspace, reviewsFile.Name, saved));
                return ExitCodes.Ok;
            }
            finally
            {
                if (services is not null) await services.DisposeAsync();
            }
        }));
        return command;
    }

    private static string ToJson(EvidenceRun run, Workspace workspace, int? saved) => JsonSerializer.Serialize(new
    {
        reviews = run.Reviews,
        matchedReviews = run.MatchedReviews,
        classifier = run.Classifier,
        saved,
        initiatives = workspace.Initiatives.Select(i => new
        {
            id = i.Key,
            title = i.Title,
            evidence = run.Evidence.TryGetValue(i.Key, out var e) ? e : i.Evidence,
            keptFromOtherSource = run.KeptFromOtherSources.Contains(i.Key) ? true : (bool?)null,
        }),
        changes = run.Changes.Select(c => new { id = c.Key, title = c.Title, summary = c.Summary, quotesAdded = c.QuotesAdded, quotesRemoved = c.QuotesRemoved }),
    }, Json) + "\n";

    private static string ToText(EvidenceRun run, Workspace workspace, string fileName, int? saved)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        text.WriteLine($"{run.Reviews} reviews from {fileName}, classified by {run.Classifier}; {run.MatchedReviews} matched at least one initiative.");
        foreach (var initiative in workspace.Initiatives)
        {
            if (run.KeptFromOtherSources.Contains(initiative.Key))
            {
                text.WriteLine($"{initiative.Key,-5} {initiative.Title} — kept its evidence from {initiative.Evidence!.Source}");
                continue;
            }
            if (run.Evidence.GetValueOrDefault(initiative.Key) is not { } e) continue;
            text.WriteLine($"{initiative.Key,-5} {initiative.Title} — {e.Summary()}");
            if (e.Basis is not null) text.WriteLine($"      {e.Basis}");
            foreach (var quote in e.Sources.Take(e.Quotes.Count))
                text.WriteLine($"      \"{quote.Text}\" ({quote.ReviewId}{(quote.Source.Length > 0 ? ", " + quote.Source : "")}; matched: {string.Join(", ", quote.MatchedTerms)}{(quote.Similarity is { } similarity ? string.Create(CultureInfo.InvariantCulture, $"; meaning {similarity:0.00}") : "")})");
        }
        var unmatched = workspace.Initiatives.Count(i => run.Evidence.TryGetValue(i.Key, out var e) && e is null);
        text.WriteLine($"{unmatched} initiatives have no matching review.");
        text.WriteLine(run.Changes.Count == 0 ? "No change against the evidence on the roadmap." : "Changed against the evidence on the roadmap:");
        foreach (var change in run.Changes) text.WriteLine($"  {change.Key,-5} {change.Summary}");
        if (saved is { } n) text.WriteLine($"Saved: {n} initiative{(n == 1 ? "" : "s")} updated.");
        return text.ToString();
    }
}
