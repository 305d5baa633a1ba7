using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Planner.Files;

namespace Planner.Security;

/// <summary>The administrator password that guards an exposed web app, kept as a salted PBKDF2-HMAC-SHA256 hash in
/// <c>admin-password.json</c> in the data directory (never the password itself). Written atomically and readable by
/// the owner only; read on every login, so a new password takes effect without a restart.</summary>
public sealed class AdminPassword(string dataDirectory)
{
    public const string FileName = "admin-password.json";
    public const string Format = "planner-admin-password/1";
    public const int MinimumLength = 12;
    /// <summary>OWASP's current recommendation for PBKDF2-HMAC-SHA256; about half a second per check on a small CPU,
    /// which is what makes a stolen hash expensive to guess.</summary>
    public const int Iterations = 600_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public string FilePath => Path.Combine(dataDirectory, FileName);

    public bool IsSet => File.Exists(FilePath);

    /// <summary>Why a password cannot be used, or null when it can.</summary>
    public static string? Weakness(string password) =>
        password.Length < MinimumLength ? $"the password must be at least {MinimumLength} characters long." :
        string.IsNullOrWhiteSpace(password) ? "the password must not be blank." : null;

    public void Set(string password)
    {
        if (Weakness(password) is { } weakness) throw new ArgumentException(weakness, nameof(password));
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var stored = new StoredHash(Format, "PBKDF2-HMAC-SHA256", Iterations, Convert.ToBase64String(salt), Convert.ToBase64String(Derive(password, salt, Iterations)));
        AtomicFile.WriteAllBytes(FilePath, JsonSerializer.SerializeToUtf8Bytes(stored, StoredHash.JsonOptions));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>True when the password matches the stored hash (compared in constant time); false when it does not
    /// or no password is set.</summary>
    public bool Verify(string password)
    {
        if (Read() is not { } stored) return false;
        var expected = Convert.FromBase64String(stored.Hash);
        var actual = Derive(password, Convert.FromBase64String(stored.Salt), stored.Iterations);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>Changes whenever the password is set again: sign-ins carry it, so a new password ends older sessions.</summary>
    public string? Stamp() => Read()?.Salt;

    private StoredHash? Read()
    {
        if (!IsSet) return null;
        var stored = JsonSerializer.Deserialize<StoredHash>(File.ReadAllBytes(FilePath), StoredHash.JsonOptions);
        if (stored is null || stored.Format != Format || stored.Iterations < 100_000)
            throw new InvalidDataException($"{FilePath} is not a Planner password file; set the password again with 'planner admin-password'.");
        return stored;
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);

    private sealed record StoredHash(string Format, string Algorithm, int Iterations, string Salt, string Hash)
    {
        public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never };
    }
}
