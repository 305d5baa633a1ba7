using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Planner.Roadmaps;

namespace Planner.Persistence;

/// <summary>Adds, edits and deletes one initiative of a saved workspace. Each change is validated against the whole
/// roadmap first; edits and deletes use optimistic concurrency (the initiative's version), so a stale copy never
/// overwrites a newer one — the result says so instead. Reading, validating and writing happen in one serializable
/// transaction (SQLite: the write lock is taken before the read), so two edits saved at once cannot each pass
/// validation against the other's old state — e.g. two dependencies that together make a cycle.</summary>
public sealed partial class InitiativeStore(IDbContextFactory<PlannerDbContext> factory)
{
    public async Task<SaveResult> AddInitiativeAsync(string workspaceName, Initiative item, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await BeginAsync(db, ct);
        var workspace = await RoadmapStore.Query(db).FirstOrDefaultAsync(w => w.Name == workspaceName, ct);
        if (workspace is null) return SaveResult.Invalid(null, null, $"There is no workspace named '{workspaceName}'.");
        if (workspace.FindInitiative(item.Key) is not null)
            return SaveResult.Invalid(item.Key, "id", $"The id '{item.Key}' is already used by '{workspace.FindInitiative(item.Key)!.Title}'.");

        var added = item.Clone();
        added.Id = 0;
        added.WorkspaceId = workspace.Id;
        added.Version = 1;
        added.Order = workspace.Initiatives.Count == 0 ? 0 : workspace.Initiatives.Max(i => i.Order) + 1;
        var candidate = workspace.Clone();
        candidate.Initiatives.Add(added);
        if (RoadmapValidator.Validate(candidate) is { Count: > 0 } problems) return SaveResult.Invalid(problems);

        workspace.Initiatives.Add(added);
        return await CommitAsync(db, tx, item.Key, "The roadmap changed while this was being added; nothing was saved. Try again.", ct) ?? SaveResult.Saved;
    }

    private static Task<IDbContextTransaction> BeginAsync(PlannerDbContext db, CancellationToken ct) =>
        db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);

    /// <summary>Saves and commits; a write that lost to a concurrent one (optimistic check, or PostgreSQL's
    /// serialization failure) is a conflict with <paramref name="conflict"/>, and nothing is written.</summary>
    private static async Task<SaveResult?> CommitAsync(PlannerDbContext db, IDbContextTransaction tx, string item, string conflict, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return null;
        }
        catch (Exception e) when (e is DbUpdateConcurrencyException || IsSerializationFailure(e))
        {
            return SaveResult.Conflicted(item, conflict);
        }
    }

    /// <summary>PostgreSQL refused to serialize this transaction after another (it arrives wrapped by EF Core and the
    /// execution strategy).</summary>
    private static bool IsSerializationFailure(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure }) return true;
        }
        return false;
    }

    /// <summary>Saves an edited initiative. <paramref name="edited"/>.Version must be the version the editor started
    /// from; if anyone saved or deleted it since, nothing is written and the result says so.</summary>
    public async Task<SaveResult> UpdateInitiativeAsync(string workspaceName, Initiative edited, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await BeginAsync(db, ct);
        var workspace = await RoadmapStore.Query(db).FirstOrDefaultAsync(w => w.Name == workspaceName, ct);
        if (workspace is null) return SaveResult.Invalid(null, null, $"There is no workspace named '{workspaceName}'.");
        var target = workspace.FindInitiative(edited.Key);
        if (target is null)
            return SaveResult.Conflicted(edited.Key, $"'{edited.Title}' was deleted by someone else; your changes were not saved.");
        if (target.Version != edited.Version)
            return SaveResult.Conflicted(edited.Key, StaleMessage(target));

        var candidate = workspace.Clone();
        candidate.FindInitiative(edited.Key)!.CopyEditableFrom(edited);
        if (RoadmapValidator.Validate(candidate) is { Count: > 0 } problems) return SaveResult.Invalid(problems);

        target.CopyEditableFrom(edited);
        target.Version = edited.Version + 1;
        db.Entry(target).Property(i => i.Version).OriginalValue = edited.Version;
        if (await CommitAsync(db, tx, edited.Key, StaleMessage(target), ct) is { } conflicted) return conflicted;
        edited.Version = target.Version;
        return SaveResult.Saved;
    }

    private static string StaleMessage(Initiative current) =>
        $"'{current.Title}' was changed by someone else after you opened it; your changes were not saved. Reload to see the latest version.";

    public async Task<SaveResult> DeleteInitiativeAsync(string workspaceName, string key, int version, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await BeginAsync(db, ct);
        var workspace = await RoadmapStore.Query(db).FirstOrDefaultAsync(w => w.Name == workspaceName, ct);
        if (workspace is null) return SaveResult.Invalid(null, null, $"There is no workspace named '{workspaceName}'.");
        var target = workspace.FindInitiative(key);
        if (target is null) return SaveResult.Saved; // already gone: the founder's intent holds
        if (target.Version != version) return SaveResult.Conflicted(key, StaleMessage(target));

        var dependents = workspace.Initiatives.Where(i => i.Dependencies.Any(d => d.PredecessorKey == key)).Select(i => i.Key).ToList();
        if (dependents.Count > 0)
            return SaveResult.Invalid(key, "dependsOn",
                $"'{target.Title}' cannot be deleted: {string.Join(", ", dependents)} depend{(dependents.Count == 1 ? "s" : "")} on it. Remove those dependencies first.");

        db.Initiatives.Remove(target);
        db.Entry(target).Property(i => i.Version).OriginalValue = version;
        return await CommitAsync(db, tx, key, StaleMessage(target), ct) ?? SaveResult.Saved;
    }
}
