using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Planner.Security;

/// <summary>Encrypts secrets kept in the data directory (the OpenAI-compatible server's API key) with ASP.NET Core
/// Data Protection, under the key ring in the data directory's <c>keys</c> folder — the one the web app keeps for its
/// cookies, which backups never hold. A copied settings file, or a backup, thus carries only ciphertext; a data
/// directory whose keys are lost cannot decrypt it, and the key must be entered again.</summary>
public sealed class SecretProtector
{
    public const string ApplicationName = "Planner";
    private readonly IDataProtector protector;

    public SecretProtector(string dataDirectory, string purpose)
    {
        var services = new ServiceCollection();
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(KeysDirectory(dataDirectory)))
            .SetApplicationName(ApplicationName);
        protector = services.BuildServiceProvider().GetDataProtector(purpose);
    }

    public static string KeysDirectory(string dataDirectory) => Path.Combine(dataDirectory, "keys");

    public string Protect(string secret) => protector.Protect(secret);

    /// <summary>The secret, or null when this key ring cannot decrypt it (other keys, or a damaged value).</summary>
    public string? Unprotect(string protectedSecret)
    {
        try { return protector.Unprotect(protectedSecret); }
        catch (CryptographicException) { return null; }
    }
}
