using Microsoft.EntityFrameworkCore;
using Planner.Insights.Labelling;

namespace Planner.Persistence;

/// <summary>The review labels of each workspace (<see cref="ReviewLabel"/>). A founder's write names the version it
/// read; when another writer saved the review's label since, the later write still wins and says what it replaced,
/// and <see cref="Changed"/> tells every page in this process that shows the review. A model's suggestion never
/// replaces a founder's label.</summary>
public sealed class ReviewLabelStore(IDbContextFactory<PlannerDbContext> factory, TimeProvider clock)
{
    /// <summary>Raised after every saved change, on the writer's thread.</summary>
    public event Action<LabelChange>? Changed;

    /// <summary>The labels of one reviews file's label column in the workspace (empty when there is no such workspace).</summary>
    public async Task<IReadOnlyList<ReviewLabel>> ListAsync(string workspaceName, string reviewsFile, string column, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.ReviewLabels.AsNoTracking()
            .Where(l => l.ReviewsFile == reviewsFile && l.Column == column && db.Workspaces.Any(w => w.Id == l.WorkspaceId && w.Name == workspaceName))
            .OrderBy(l => l.Id).ToListAsync(ct);
    }

    /// <summary>Sets the review's label. <paramref name="readVersion"/> is the version the caller last saw (0: no label);
    /// a founder's label replaces whatever is there (told in <see cref="LabelSaveResult.Replaced"/> when it changed
    /// meanwhile); a model's suggestion is kept out where the founder has labelled.</summary>
    public async Task<LabelSaveResult> SetAsync(string workspaceName, string reviewsFile, string column, string reviewKey, string label,
        int readVersion, LabelSource setBy = LabelSource.Founder, double? confidence = null, string? model = null, double? margin = null,
        CancellationToken ct = default)
    {
        label = label.Trim();
        if (Check(reviewsFile, column, reviewKey) is { } bad) return LabelSaveResult.Refused(bad);
        if (label.Length == 0) return LabelSaveResult.Refused("A label cannot be empty.");
        if (label.Length > ReviewLabel.MaxLabelLength)
            return LabelSaveResult.Refused($"A label has at most {ReviewLabel.MaxLabelLength} characters (this one has {label.Length}).");
        if (confidence is { } c && (double.IsNaN(c) || c is < 0 or > 1)) throw new ArgumentOutOfRangeException(nameof(confidence));
        if (margin is { } d && (double.IsNaN(d) || d is < 0 or > 1)) throw new ArgumentOutOfRangeException(nameof(margin));
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var workspaceId = await db.WorkspaceIdAsync(workspaceName, ct);
            if (workspaceId is null) return LabelSaveResult.Refused($"There is no workspace named '{workspaceName}'.");
            var row = await db.ReviewLabels.FirstOrDefaultAsync(l => l.WorkspaceId == workspaceId && l.ReviewsFile == reviewsFile && l.Column == column && l.ReviewKey == reviewKey, ct);
            if (row is not null && setBy == LabelSource.Model && row.SetBy == LabelSource.Founder) return new LabelSaveResult(row);
            string? replaced = null;
            if (row is null)
            {
                row = new ReviewLabel { WorkspaceId = workspaceId.Value, ReviewsFile = reviewsFile, Column = column, ReviewKey = reviewKey, Label = label, Version = 0 };
                db.ReviewLabels.Add(row);
            }
            else if (row.Version != readVersion && setBy == LabelSource.Founder && row.Label != label)
                replaced = $"This review had been labelled '{row.Label}' elsewhere (another tab or the command line) since you opened it; your '{label}' replaced it.";
            row.Label = label;
            row.SetBy = setBy;
            row.Confidence = setBy == LabelSource.Founder ? null : confidence;
            row.Margin = setBy == LabelSource.Founder ? null : margin;
            row.Model = setBy == LabelSource.Founder ? null : model;
            row.Version++;
            row.UpdatedUtc = clock.GetUtcNow().UtcDateTime;
            try
            {
                await db.SaveChangesAsync(ct);
            }
            // Another writer saved (or inserted) the same review's label between the read and this save: read again; the
            // last write wins, and says what it replaced.
            catch (DbUpdateException) when (attempt < SharedSettingStore.MaxAttempts)
            {
                readVersion = -1;
                continue;
            }
            Changed?.Invoke(new LabelChange(workspaceName, reviewsFile, column, reviewKey, row.Label, row.SetBy, row.Version));
            return new LabelSaveResult(row, Replaced: replaced);
        }
    }

    /// <summary>Removes the review's label (undo). A label another writer changed since <paramref name="readVersion"/> is
    /// left as it is, and the result says so.</summary>
    public async Task<LabelSaveResult> RemoveAsync(string workspaceName, string reviewsFile, string column, string reviewKey, int readVersion, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var workspaceId = await db.WorkspaceIdAsync(workspaceName, ct);
        if (workspaceId is null) return LabelSaveResult.Refused($"There is no workspace named '{workspaceName}'.");
        var row = await db.ReviewLabels.FirstOrDefaultAsync(l => l.WorkspaceId == workspaceId && l.ReviewsFile == reviewsFile && l.Column == column && l.ReviewKey == reviewKey, ct);
        if (row is null) return new LabelSaveResult(null);
        if (row.Version != readVersion)
            return LabelSaveResult.Refused($"This review was labelled '{row.Label}' elsewhere (another tab or the command line) meanwhile; that label is kept.");
        db.ReviewLabels.Remove(row);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return LabelSaveResult.Refused("This review's label was changed elsewhere (another tab or the command line) meanwhile; that label is kept.");
        }
        Changed?.Invoke(new LabelChange(workspaceName, reviewsFile, column, reviewKey, null, null, 0));
        return new LabelSaveResult(null);
    }

    private static string? Check(string reviewsFile, string column, string reviewKey) =>
        string.IsNullOrWhiteSpace(reviewsFile) || reviewsFile.Length > ReviewLabel.MaxFileLength ? "Choose a reviews file." :
        string.IsNullOrWhiteSpace(column) ? "Name the label column (e.g. sentiment)." :
        column.Length > ReviewLabel.MaxColumnLength ? $"A label column's name has at most {ReviewLabel.MaxColumnLength} characters." :
        reviewKey.Length != ReviewKey.Length ? throw new ArgumentException("Not a review key.", nameof(reviewKey)) : null;
}
