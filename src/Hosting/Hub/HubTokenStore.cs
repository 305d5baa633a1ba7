using System.Text;
using Planner.Files;
using Planner.Security;

namespace Planner.Hosting.Hub;

/// <summary>The founder's hub access token, kept encrypted in the data directory (<c>hub-token</c>, under the
/// same key ring as the other secrets; never in a backup).</summary>
public sealed class HubTokenStore(PlannerPaths paths)
{
    public const string FileName = "hub-token";
    private readonly SecretProtector secrets = new(paths.DataDirectory, "Planner.Hub.Token");

    public string FilePath { get; } = Path.Combine(paths.DataDirectory, FileName);

    /// <summary>The saved token, or null when none is saved or this key ring cannot decrypt it.</summary>
    public string? Read()
    {
        if (!File.Exists(FilePath)) return null;
        return secrets.Unprotect(File.ReadAllText(FilePath, Encoding.UTF8).Trim());
    }

    public void Save(string token)
    {
        if (string.IsNullOrWhiteSpace(token)) throw new ArgumentException("A token is needed.", nameof(token));
        AtomicFile.WriteAllBytes(FilePath, Encoding.UTF8.GetBytes(secrets.Protect(token.Trim())));
    }

    public void Clear()
    {
        if (File.Exists(FilePath)) File.Delete(FilePath);
    }
}
