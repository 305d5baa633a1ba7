using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Planner.Documents;
using Planner.Files;

namespace Planner.Persistence;

/// <summary>The founder's documents: validated uploads stored under generated names in the data directory, their
/// metadata in the database, their passages in the full-text index. Delete removes all three.</summary>
public sealed class DocumentLibrary(IDbContextFactory<PlannerDbContext> factory, DocumentIndex index, PlannerPaths paths, TimeProvider clock)
{
    private string Folder => Path.Combine(paths.DataDirectory, "documents");

    public async Task<AddDocumentResult> AddAsync(string fileName, byte[] content, string? csvTextColumn = null, CancellationToken ct = default)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/')); // never a path from the browser
        if (string.IsNullOrWhiteSpace(name)) return new(null, "The file has no name.");
        var extracted = DocumentExtractor.Extract(name, content, csvTextColumn);
        if (!extracted.Ok) return new(null, $"{name}: {extracted.Error}");

        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await db.Documents.FirstOrDefaultAsync(d => d.Sha256 == hash, ct) is { } same)
            return new(null, $"{name} is already in the library as '{same.FileName}'.");

        var stored = new StoredDocument
        {
            FileName = name,
            StoredName = $"{Guid.NewGuid():N}{Path.GetExtension(name).ToLowerInvariant()}",
            Kind = extracted.Kind,
            Sha256 = hash,
            Bytes = content.LongLength,
            CsvTextColumn = csvTextColumn,
            AddedUtc = clock.GetUtcNow().UtcDateTime,
        };
        await AtomicFile.WriteAllBytesAsync(Path.Combine(Folder, stored.StoredName), content, ct);
        db.Documents.Add(stored);
        await db.SaveChangesAsync(ct);

        var chunks = Chunker.Chunk(stored.Id, stored.FileName, stored.Kind, extracted.Segments);
        index.Add(chunks);
        stored.Chunks = chunks.Count;
        await db.SaveChangesAsync(ct);
        return new(stored, null);
    }

    /// <summary>The stored bytes of a document, as uploaded.</summary>
    public Task<byte[]> ContentAsync(StoredDocument document, CancellationToken ct = default) =>
        File.ReadAllBytesAsync(Path.Combine(Folder, document.StoredName), ct);

    public async Task<IReadOnlyList<StoredDocument>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Documents.OrderBy(d => d.Id).ToListAsync(ct);
    }

    /// <summary>The document's passages, as indexed, for preview.</summary>
    public async Task<IReadOnlyList<DocumentChunk>> PassagesAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var doc = await db.Documents.FindAsync([id], ct);
        if (doc is null) return [];
        var content = await File.ReadAllBytesAsync(Path.Combine(Folder, doc.StoredName), ct);
        var extracted = DocumentExtractor.Extract(doc.FileName, content, doc.CsvTextColumn);
        return extracted.Ok ? Chunker.Chunk(doc.Id, doc.FileName, doc.Kind, extracted.Segments) : [];
    }

    public async Task<bool> DeleteAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var doc = await db.Documents.FindAsync([id], ct);
        if (doc is null) return false;
        index.Remove(id);
        db.Documents.Remove(doc);
        await db.SaveChangesAsync(ct);
        var file = Path.Combine(Folder, doc.StoredName);
        if (File.Exists(file)) File.Delete(file);
        return true;
    }

    /// <summary>Indexes every document again from its stored file (after a restore, or to repair the index).</summary>
    public async Task ReindexAsync(CancellationToken ct = default)
    {
        foreach (var doc in await ListAsync(ct))
        {
            index.Remove(doc.Id);
            index.Add(await PassagesAsync(doc.Id, ct));
        }
    }

    public IReadOnlyList<SearchHit> Search(string question, int top = 5) => index.Search(question, top);
}
