using System.Text;
using Planner.Documents;
using Planner.Engine.Data;
using Planner.Engine.Evaluation;
using Planner.Files;
using Planner.Hosting.Training;
using Planner.Insights.Labelling;
using Planner.Persistence;

namespace Planner.Hosting.Evidence;

/// <summary>The Label page's work, written once: the reviews of a library file with their labels (the file's column and
/// the workspace's), suggestions from the pretrained encoder with a linear model trained on the labels so far (for
/// active learning: the smallest margin first), the labelled reviews exported as CSV, and a classifier run queued on that export.</summary>
public sealed class ReviewLabelling(PlannerPaths paths, DocumentLibrary library, ReviewLabelStore labels, TrainingJobs jobs)
{
    /// <summary>Texts longer than this are cut before the classifier reads them: a 1 MB review says what it says in its
    /// first pages, and a full read would stall the suggestions for every other review.</summary>
    public const int MaxSuggestionChars = 4000;

    public async Task<(IReadOnlyList<LabellingItem>? Items, string? Error)> LoadAsync(string workspace, StoredDocument file, string column, CancellationToken ct = default)
    {
        var (rows, error) = ColumnLabels.Read(await library.ContentAsync(file, ct), file.FileName, column);
        if (rows is null) return (null, error);
        var stored = (await labels.ListAsync(workspace, file.FileName, column, ct)).ToDictionary(l => l.ReviewKey, StringComparer.Ordinal);
        var items = new List<LabellingItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (review, label) in rows)
        {
            var key = ReviewKey.Of(review.Text);
            if (!seen.Add(key)) continue; // the same text twice is one review to label
            var item = new LabellingItem(review, key, label) { Stored = stored.GetValueOrDefault(key) };
            if (item.Stored is { SetBy: LabelSource.Model } s) item.Suggestion = Kept(s);
            items.Add(item);
        }
        return (items, null);
    }

    /// <summary>The chat model's label kept from an earlier visit, as a suggestion, with its margin to the runner-up as
    /// stored. A label kept before margins were stored has only its probability p, which bounds the margin from below
    /// (the runner-up has at most 1 − p, so the margin is at least 2p − 1; exactly that with two labels).</summary>
    public static ItemSuggestion Kept(ReviewLabel label) =>
        new(label.Label, label.Confidence, label.Margin ?? (label.Confidence is { } p ? Math.Max(0, 2 * p - 1) : null), $"chat model {label.Model}");

    /// <summary>Suggestions for the unlabelled items from the pretrained sentence encoder with a linear model trained on
    /// the labelled ones (<see cref="EncoderClassifier"/>: after the first 10 to 100 labels of the sample its suggestions
    /// were right more often than the TF-IDF baseline's; docs/benchmarks.md); null with the reason when the labels
    /// cannot train one yet.</summary>
    public static (IReadOnlyDictionary<string, ItemSuggestion>? Suggestions, string? Why) Suggest(IReadOnlyList<LabellingItem> items, int seed = 1)
    {
        var train = items.Where(i => i.Label is not null).Select(i => new LabelledExample(Cut(i.Review.Text), i.Label!)).ToList();
        var set = train.Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (set.Count < 2) return (null, "Suggestions start once two labels have each been given at least once.");
        var open = items.Where(i => i.Label is null).ToList();
        if (open.Count == 0) return (new Dictionary<string, ItemSuggestion>(), null);
        var model = EncoderClassifier.Train(train, set, seed);
        var predictions = model.Predict([.. open.Select(i => Cut(i.Review.Text))]);
        var result = new Dictionary<string, ItemSuggestion>(StringComparer.Ordinal);
        for (var i = 0; i < open.Count; i++)
        {
            var p = predictions[i].Probabilities;
            var sorted = p.OrderDescending().ToList();
            result[open[i].Key] = new ItemSuggestion(predictions[i].Label, p[model.Labels.ToList().IndexOf(predictions[i].Label)], sorted[0] - sorted[1],
                $"pretrained encoder trained on {train.Count} labels");
        }
        return (result, null);
    }

    private static string Cut(string text) => text.Length <= MaxSuggestionChars ? text : text[..MaxSuggestionChars];

    /// <summary>Writes the reviews with the founder's labels filled in to the data directory (atomically) and returns its
    /// path and the labels of the exported column, or why not.</summary>
    public async Task<(string? Path, IReadOnlyList<string> Labels, string? Error)> ExportAsync(string workspace, StoredDocument file, string column, CancellationToken ct = default)
    {
        var founder = await labels.ListAsync(workspace, file.FileName, column, ct);
        var (csv, _, error) = LabelledReviewsCsv.Fill(await library.ContentAsync(file, ct), file.FileName, column, founder);
        if (csv is null) return (null, [], error);
        var (rows, _) = ColumnLabels.Read(csv, file.FileName, column);
        var folder = System.IO.Path.Combine(paths.DataDirectory, "labels");
        var path = System.IO.Path.Combine(folder, $"{Safe(workspace)}-{Safe(System.IO.Path.GetFileNameWithoutExtension(file.FileName))}-{Safe(column)}.csv");
        await AtomicFile.WriteAllBytesAsync(path, csv, ct);
        return (path, [.. rows!.Select(r => r.Label).Where(l => l.Length > 0)], null);
    }

    /// <summary>Exports the labels and queues a classifier run on them (the Training page's queue); the job, or why
    /// nothing was trained (one class, a class with one example…).</summary>
    public async Task<(TrainingJob? Job, string? Error)> RetrainAsync(string workspace, StoredDocument file, string column, CancellationToken ct = default)
    {
        var (path, exported, error) = await ExportAsync(workspace, file, column, ct);
        if (path is null) return (null, error);
        if (LabelSetCheck.Problem(exported) is { } problem) return (null, problem + " Nothing was trained.");
        var request = new TrainingRequest(path, $"{file.FileName} · {column} (labelled here)")
        {
            Task = TrainingTask.Classifier, Files = [path], TextColumn = file.CsvTextColumn ?? "text", LabelColumn = column,
        };
        try
        {
            return (jobs.Enqueue(request), null);
        }
        catch (ArgumentException e)
        {
            return (null, e.Message);
        }
    }

    private static string Safe(string name)
    {
        var s = new StringBuilder();
        foreach (var c in name) s.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        return s.Length == 0 ? "_" : s.ToString();
    }
}
