using System.Security.Cryptography;

namespace Planner.Backup;

/// <summary>Copies a stream while hashing it (SHA-256), stopping once more than <c>limit</c> bytes arrive.</summary>
internal static class HashingCopy
{
    public static async Task<(long Bytes, string Sha256)> CopyAsync(Stream input, Stream output, long limit, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long bytes = 0;
        for (int read; (read = await input.ReadAsync(buffer, ct)) > 0;)
        {
            bytes += read;
            if (bytes > limit) break;
            sha.AppendData(buffer, 0, read);
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        return (bytes, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }
}
