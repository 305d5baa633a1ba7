using Microsoft.EntityFrameworkCore;
using Planner.Files;
using Planner.Persistence;
using Planner.Security;

namespace Planner.Hosting.Hub;

/// <summary>The founder's hub access token, kept encrypted (under the data directory's key ring, as the other secrets)
/// in the database's <see cref="SettingKey"/> setting, so every instance on one PostgreSQL and the CLI use the same
/// one; never in a backup. Saving replaces the token whoever saved the last one: a token is one value, and the newest
/// is the one the founder means. A token an earlier version kept in the data directory (<c>hub-token</c>) is moved into
/// the database on first use.</summary>
public sealed class HubTokenStore(IDbContextFactory<PlannerDbContext> factory, PlannerPaths paths)
{
    /// <summary>Where earlier versions kept the token (moved into the database once, then removed).</summary>
    public const string FileName = "hub-token";

    public const string SettingKey = "hub-token";

    private readonly SharedSettingStore settings = new(factory);
    private readonly SecretProtector secrets = new(paths.DataDirectory, "Planner.Hub.Token");

    public string LegacyFilePath { get; } = Path.Combine(paths.DataDirectory, FileName);

    /// <summary>The saved token, or null when none is saved or this key ring cannot decrypt it.</summary>
    public string? Read()
    {
        MoveLegacyFile();
        return settings.Read(SettingKey) is { } row ? secrets.Unprotect(row.Value) : null;
    }

    public void Save(string token)
    {
        if (string.IsNullOrWhiteSpace(token)) throw new ArgumentException("A token is needed.", nameof(token));
        MoveLegacyFile();
        var sealedToken = secrets.Protect(token.Trim());
        settings.Update(SettingKey, _ => sealedToken);
    }

    public void Clear()
    {
        MoveLegacyFile();
        settings.Update(SettingKey, _ => null);
    }

    // The file already holds the encrypted token: it moves as it is.
    private void MoveLegacyFile() => settings.MoveLegacyFile(SettingKey, LegacyFilePath, text => text.Trim() is { Length: > 0 } sealedToken ? sealedToken : null);
}
