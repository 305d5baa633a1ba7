using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Planner.Documents;
using Planner.Files;

namespace Planner.Persistence;

/// <summary>The founder's documents: validated uploads stored under generated names in the data directory, their
/// metadata in the database, their passages in the full-text index. Delete removes all three.
/// <para>With PostgreSQL several instances share the database (and the data directory's documents), and each keeps an
/// index of its own in memory: Lucene's index takes one writer, so instances cannot share one on disk. Before each
/// search an instance catches up with the database — indexes the documents others added, drops the ones they
/// deleted — so an upload on one instance is found by the next search on any.</para></summary>
public sealed class DocumentLibrary(IDbContextFactory<PlannerDbContext> factory, DocumentIndex index, PlannerPaths paths, TimeProvider clock)
{
    private string Folder => Path.Combine(paths.DataDirectory, "documents");

    private readonly bool shared = factory is PlannerDbContextFactory { Provider: DatabaseProvider.Postgres };
    private readonly HashSet<int> indexed = [];
    private readonly System.Threading.Lock catchUp = new();

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
        lock (catchUp)
        {
            index.Add(chunks);
            indexed.Add(stored.Id);
        }
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
        lock (catchUp)
        {
            index.Remove(id);
            indexed.Remove(id);
        }
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

    public IReadOnlyList<SearchHit> Search(string question, int top = 5)
    {
        if (shared) CatchUp();
        return index.Search(question, top);
    }

    /// <summary>Brings this instance's index in step with the database (see the class summary).</summary>
    private void CatchUp()
    {
        using var db = factory.CreateDbContext();
        var documents = db.Documents.AsNoTracking().ToList();
        lock (catchUp)
        {
            var current = documents.Select(d => d.Id).ToHashSet();
            foreach (var gone in indexed.Where(id => !current.Contains(id)).ToList())
            {
                index.Remove(gone);
                indexed.Remove(gone);
            }
            foreach (var doc in documents.Where(d => !indexed.Contains(d.Id)))
            {
                var file = Path.Combine(Folder, doc.StoredName);
                if (!File.Exists(file)) continue; // another instance is still writing it, or the documents folder is not shared
                var extracted = DocumentExtractor.Extract(doc.FileName, File.ReadAllBytes(file), doc.CsvTextColumn);
                if (extracted.Ok) index.Add(Chunker.Chunk(doc.Id, doc.FileName, doc.Kind, extracted.Segments));
                indexed.Add(doc.Id);
            }
        }
    }
}
