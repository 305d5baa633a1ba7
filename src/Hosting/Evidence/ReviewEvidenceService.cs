using Planner.Documents;
using Planner.Engine.Training;
using Planner.Insights;
using Planner.Persistence;
using Planner.Files;
using Planner.Hosting.Training;

namespace Planner.Hosting.Evidence;

/// <summary>Computes review evidence from the browser: finds the classifier runs and the reviews files in the
/// library, runs <see cref="ReviewEvidence"/> with the chosen classifiers and the founder's decisions (confirmed,
/// rejected, linked by hand) and stores the evidence on the workspace.</summary>
public sealed class ReviewEvidenceService(PlannerPaths paths, DocumentLibrary library, RoadmapStore store, InitiativeStore initiatives)
{
    private string RunsDirectory => Path.Combine(paths.DataDirectory, "runs");

    /// <summary>Classifier runs (best checkpoint, else the latest), newest first; runs of other kinds are skipped.</summary>
    public IReadOnlyList<ClassifierRun> Classifiers()
    {
        if (!Directory.Exists(RunsDirectory)) return [];
        var found = new List<ClassifierRun>();
        foreach (var run in Directory.GetDirectories(RunsDirectory).Order(StringComparer.Ordinal).Reverse())
        {
            if (new TrainingOutput(run).BestOrLatest() is not { Path: var checkpoint }) continue;
            try
            {
                var metadata = CheckpointStore.ReadMetadata(checkpoint);
                if (metadata.Kind == CheckpointMetadata.Classifier && metadata.Labels is { Count: >= 2 } labels)
                {
                    var baseline = new RunFolder(run).ReadReport()?.Baseline;
                    var chosen = ReviewClassifierSet.BaselineOf(run)
                        ?? (ReviewClassifierSet.CombinedBaselineOf(run) is not null || ReviewClassifierSet.EncoderOf(run) is not null ? run : checkpoint);
                    found.Add(new ClassifierRun(Path.GetFileName(run), chosen, ReviewClassifierSet.AspectOf(labels), labels,
                        baseline is null ? null : $"Evidence uses {baseline.EvidenceModel}: {baseline.Reason}."));
                }
            }
            catch (CheckpointException)
            {
                // a damaged run is not offered; the Training page says what is wrong with it
            }
        }
        return found;
    }

    /// <summary>The file to offer first among <paramref name="files"/>: one named like a reviews file, else the first.</summary>
    public static StoredDocument? PreferredReviewsFile(IReadOnlyList<StoredDocument> files) =>
        files.FirstOrDefault(f => f.FileName.Contains("review", StringComparison.OrdinalIgnoreCase)) ?? (files.Count > 0 ? files[0] : null);

    /// <summary>CSV documents in the library (reviews files among them).</summary>
    public async Task<IReadOnlyList<StoredDocument>> ReviewFilesAsync(CancellationToken ct = default) =>
        [.. (await library.ListAsync(ct)).Where(d => d.Kind == DocumentKind.Csv)];

    /// <summary>Classifies the reviews file, builds evidence for the workspace and stores it; the run (with what
    /// changed) or a sentence saying why nothing was done.</summary>
    public async Task<(EvidenceRun? Run, string? Error)> ComputeAsync(string workspaceName, StoredDocument reviewsFile,
        IReadOnlyList<ClassifierRun> classifiers, CancellationToken ct = default)
    {
        if (classifiers.Count == 0) return (null, "Choose a review classifier.");
        var read = ReviewCsv.Read(await library.ContentAsync(reviewsFile, ct), reviewsFile.FileName);
        if (!read.Ok) return (null, read.Error);
        var workspace = await store.LoadAsync(workspaceName, ct);
        if (workspace is null) return (null, $"There is no workspace named '{workspaceName}'.");
        try
        {
            using var classifier = EngineReviewClassifier.Load([.. classifiers.Select(c => c.Checkpoint)]);
            var run = await ReviewEvidence.ComputeAsync(classifier, workspace, read.Reviews, links: await initiatives.EvidenceLinksAsync(workspaceName, ct),
                meaning: EncoderTextMeaning.Instance, ct: ct);
            await store.SetEvidenceAsync(workspaceName, run.Evidence, ct);
            return (run, null);
        }
        catch (CheckpointException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>The themes of a reviews file in the library (<see cref="ReviewThemes"/>), or a sentence saying why there
    /// are none (a file that is not a reviews CSV, too few reviews).</summary>
    public async Task<(ReviewThemeReport? Report, string? Error)> ThemesAsync(StoredDocument reviewsFile, int? count = null, CancellationToken ct = default)
    {
        var read = ReviewCsv.Read(await library.ContentAsync(reviewsFile, ct), reviewsFile.FileName);
        if (!read.Ok) return (null, read.Error);
        try
        {
            return (await Task.Run(() => ReviewThemes.Find(read.Reviews, count), ct), null);
        }
        catch (Engine.Data.CorpusException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>Links every review of <paramref name="theme"/> to the initiative by hand, one decision per review, except
    /// the reviews the founder has decided on for that initiative already (a rejection stays a rejection). Returns how many
    /// were linked, or why the linking stopped (an initiative deleted meanwhile: nothing more is linked).</summary>
    public async Task<(int Linked, int Kept, string? Error)> LinkThemeAsync(string workspaceName, string initiativeKey, ReviewTheme theme, CancellationToken ct = default)
    {
        var decided = (await initiatives.EvidenceLinksAsync(workspaceName, ct))
            .Where(l => l.InitiativeKey == initiativeKey).Select(l => l.ReviewId).ToHashSet(StringComparer.Ordinal);
        var (linked, kept) = (0, 0);
        foreach (var review in theme.Reviews)
        {
            if (decided.Contains(review.Id))
            {
                kept++;
                continue;
            }
            var saved = await initiatives.DecideEvidenceAsync(workspaceName, new Roadmaps.EvidenceLink
            {
                InitiativeKey = initiativeKey, ReviewId = review.Id, Source = review.Source, Decision = Roadmaps.EvidenceDecision.Linked,
                Text = review.Text.Length <= Roadmaps.EvidenceLink.MaxTextLength ? review.Text : review.Text[..(Roadmaps.EvidenceLink.MaxTextLength - 1)] + "…",
            }, ct);
            if (!saved.Ok) return (linked, kept, saved.Message);
            linked++;
        }
        return (linked, kept, null);
    }

    /// <summary>Turns <paramref name="theme"/> into a new initiative (an unestimated idea titled after the theme, its
    /// terms and size in the description) and links the theme's reviews to it; the new initiative's key, or why not.</summary>
    public async Task<(string? Key, int Linked, string? Error)> ThemeToInitiativeAsync(string workspaceName, ReviewTheme theme, CancellationToken ct = default)
    {
        var workspace = await store.LoadAsync(workspaceName, ct);
        if (workspace is null) return (null, 0, $"There is no workspace named '{workspaceName}'.");
        var item = new Roadmaps.Initiative
        {
            Key = workspace.NextInitiativeKey(),
            Title = $"Theme: {theme.ModelName ?? theme.Name}",
            Description = $"From customer reviews: {theme.Reviews.Count} reviews about {string.Join(", ", theme.Terms)}.",
            Status = Roadmaps.InitiativeStatus.Idea,
        };
        var added = await initiatives.AddInitiativeAsync(workspaceName, item, ct);
        if (!added.Ok) return (null, 0, added.Message);
        var (linked, _, error) = await LinkThemeAsync(workspaceName, item.Key, theme, ct);
        return (item.Key, linked, error);
    }
}
