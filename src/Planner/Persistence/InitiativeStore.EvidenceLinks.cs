using Microsoft.EntityFrameworkCore;
using Planner.Roadmaps;

namespace Planner.Persistence;

/// <summary>The founder's decisions on evidence: confirm or reject a matched review, link a review or document passage
/// by hand. Each is kept (one per initiative and review) for every later evidence run, and applied to the
/// initiative's stored evidence in the same transaction.</summary>
public sealed partial class InitiativeStore
{
    public const int MaxReviewIdLength = 300;

    /// <summary>Every decision of the workspace, oldest first; none for an unknown workspace.</summary>
    public async Task<IReadOnlyList<EvidenceLink>> EvidenceLinksAsync(string workspaceName, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var workspaceId = await db.Workspaces.Where(w => w.Name == workspaceName).Select(w => (int?)w.Id).FirstOrDefaultAsync(ct);
        if (workspaceId is null) return [];
        return await db.EvidenceLinks.AsNoTracking().Where(l => l.WorkspaceId == workspaceId).OrderBy(l => l.Id).ToListAsync(ct);
    }

    /// <summary>Records a decision (replacing an earlier one on the same review and initiative) and applies it to the
    /// initiative's evidence. An initiative deleted meanwhile, an empty or oversized passage: a message, nothing saved.</summary>
    public async Task<SaveResult> DecideEvidenceAsync(string workspaceName, EvidenceLink decision, CancellationToken ct = default)
    {
        var text = decision.Text.Trim();
        var reviewId = decision.ReviewId.Trim();
        if (text.Length == 0) return SaveResult.Invalid(decision.InitiativeKey, "text", "Choose a review or passage to link: the text is empty.");
        if (text.Length > EvidenceLink.MaxTextLength)
            return SaveResult.Invalid(decision.InitiativeKey, "text", $"A linked passage can be at most {EvidenceLink.MaxTextLength:N0} characters; this one has {text.Length:N0}. Select a shorter passage.");
        if (reviewId.Length is 0 or > MaxReviewIdLength)
            return SaveResult.Invalid(decision.InitiativeKey, "review", $"A review or passage needs a name of 1 to {MaxReviewIdLength} characters.");

        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await BeginAsync(db, ct);
        var workspace = await RoadmapStore.Query(db).FirstOrDefaultAsync(w => w.Name == workspaceName, ct);
        if (workspace is null) return SaveResult.Invalid(null, null, $"There is no workspace named '{workspaceName}'.");
        var target = workspace.FindInitiative(decision.InitiativeKey);
        if (target is null)
            return SaveResult.Conflicted(decision.InitiativeKey, $"The initiative '{decision.InitiativeKey}' was deleted meanwhile; nothing was saved.");

        var saved = await db.EvidenceLinks.FirstOrDefaultAsync(l => l.WorkspaceId == workspace.Id && l.InitiativeKey == target.Key && l.ReviewId == reviewId, ct);
        if (saved is null)
        {
            saved = new EvidenceLink { WorkspaceId = workspace.Id, InitiativeKey = target.Key, ReviewId = reviewId, Text = text };
            db.EvidenceLinks.Add(saved);
        }
        saved.Text = text;
        saved.Source = decision.Source.Trim();
        saved.Decision = decision.Decision;
        saved.Importance = decision.Importance;
        saved.DecidedUtc = DateTime.UtcNow;
        var version = target.Version;
        target.Evidence = Evidence.With(target.Evidence, saved);
        target.Version = version + 1;
        db.Entry(target).Property(i => i.Version).OriginalValue = version;
        return await CommitAsync(db, tx, target.Key, $"'{target.Title}' changed while this was being saved; nothing was saved. Try again.", ct) ?? SaveResult.Saved;
    }
}
