using Microsoft.EntityFrameworkCore;

namespace Planner.Persistence;

/// <summary>Reads and writes <see cref="StoredSetting"/> rows. A write is a change applied to the value as it is now:
/// the row's version is checked when it is saved, and when another writer (another instance, the CLI) saved the row
/// since it was read, the change is applied again to what that writer saved — so two writers changing different parts
/// of a setting both keep theirs, and of two changing the same part the later one wins, knowingly, over the newest
/// value rather than over a stale copy. Synchronous: its callers are synchronous settings stores used from UI handlers.</summary>
public sealed class SharedSettingStore(IDbContextFactory<PlannerDbContext> factory)
{
    /// <summary>How often a change is applied again after losing to another writer before the conflict is reported.</summary>
    public const int MaxAttempts = 20;

    /// <summary>The saved row (value and version), or null when the setting was never saved.</summary>
    public StoredSetting? Read(string key)
    {
        using var db = factory.CreateDbContext();
        return db.Settings.AsNoTracking().SingleOrDefault(s => s.Key == key);
    }

    /// <summary>Saves <paramref name="change"/> applied to the saved value (null when none; a null result removes the
    /// setting) and returns the row as saved (null when removed or never saved). <paramref name="change"/> may run more than once: when another writer saved
    /// first, it runs again on that writer's value.</summary>
    /// <exception cref="DbUpdateConcurrencyException">Other writers won <see cref="MaxAttempts"/> times in a row.</exception>
    public StoredSetting? Update(string key, Func<string?, string?> change)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var db = factory.CreateDbContext();
            var row = db.Settings.SingleOrDefault(s => s.Key == key);
            var next = change(row?.Value);
            if (row is null && next is null) return null;
            if (row is null) db.Settings.Add(row = new StoredSetting { Key = key, Value = next!, Version = 1 });
            else if (next is null) db.Settings.Remove(row);
            else if (next == row.Value) return row;
            else
            {
                row.Value = next;
                row.Version++;
            }
            try
            {
                db.SaveChanges();
                return next is null ? null : row;
            }
            // A stale version (another writer saved since the read), or a row inserted by another writer meanwhile:
            // read again and apply the change to what is there now. An unreachable database fails the next read at once.
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>Moves a setting an earlier version kept in the data directory's <paramref name="file"/> into the
    /// database, once: the file is first renamed to one only this process knows (so of two instances one moves it), its
    /// text converted by <paramref name="convert"/> is saved unless the database already holds the setting (then the
    /// file is stale), and the file is removed. A file <paramref name="convert"/> cannot read (null) while nothing is
    /// saved, or a move the database refuses, leaves the file where it was.</summary>
    public void MoveLegacyFile(string key, string file, Func<string, string?> convert)
    {
        if (Files.LegacyFile.Claim(file) is not { } claimed) return;
        var moved = false;
        try
        {
            var text = File.ReadAllText(claimed);
            moved = Update(key, saved => saved ?? convert(text)) is not null;
        }
        finally
        {
            if (moved) File.Delete(claimed);
            else File.Move(claimed, file);
        }
    }
}
