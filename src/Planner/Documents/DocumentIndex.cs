using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Planner.Documents;

/// <summary>Full-text index of document passages (Lucene.Net, English stemming, BM25 ranking). One writer per
/// process; searches see every committed change (near-real-time readers).</summary>
public sealed class DocumentIndex : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private readonly LuceneDirectory directory;
    private readonly Analyzer analyzer = new EnglishAnalyzer(Version);
    private readonly IndexWriter writer;
    private readonly System.Threading.Lock gate = new();

    /// <summary>An index stored in <paramref name="path"/>, or in memory when it is null (tests, one-off CLI runs).</summary>
    public DocumentIndex(string? path)
    {
        directory = path is null ? new RAMDirectory() : FSDirectory.Open(path);
        writer = new IndexWriter(directory, new IndexWriterConfig(Version, analyzer)
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = new BM25Similarity(),
        });
        writer.Commit();
    }

    public void Add(IEnumerable<DocumentChunk> chunks)
    {
        lock (gate)
        {
            foreach (var chunk in chunks)
            {
                var doc = new Document
                {
                    new StringField("doc", chunk.Citation.DocumentId.ToString(System.Globalization.CultureInfo.InvariantCulture), Field.Store.YES),
                    new StoredField("name", chunk.Citation.DocumentName),
                    new StoredField("chunk", chunk.Index),
                    new TextField("text", chunk.Text, Field.Store.YES),
                };
                if (chunk.Citation.Page is { } p) doc.Add(new StoredField("page", p));
                if (chunk.Citation.FirstLine is { } a) doc.Add(new StoredField("first", a));
                if (chunk.Citation.LastLine is { } b) doc.Add(new StoredField("last", b));
                if (chunk.Citation.Row is { } r) doc.Add(new StoredField("row", r));
                writer.AddDocument(doc);
            }
            writer.Commit();
        }
    }

    public void Remove(int documentId)
    {
        lock (gate)
        {
            writer.DeleteDocuments(new Term("doc", documentId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            writer.Commit();
        }
    }

    /// <summary>The best passages for a question in plain words (any Lucene syntax in it is taken literally).</summary>
    public IReadOnlyList<SearchHit> Search(string question, int top = 5)
    {
        if (string.IsNullOrWhiteSpace(question)) return [];
        var parser = new QueryParser(Version, "text", analyzer) { DefaultOperator = Operator.OR };
        Query query;
        try
        {
            query = parser.Parse(QueryParser.Escape(question));
        }
        catch (ParseException)
        {
            return [];
        }
        lock (gate)
        {
            using var reader = DirectoryReader.Open(writer, applyAllDeletes: true);
            var searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
            return [.. searcher.Search(query, top).ScoreDocs.Select(hit =>
            {
                var d = searcher.Doc(hit.Doc);
                var citation = new Citation(int.Parse(d.Get("doc", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture), d.Get("name", System.Globalization.CultureInfo.InvariantCulture),
                    Int(d, "page"), Int(d, "first"), Int(d, "last"), Int(d, "row"));
                return new SearchHit(d.Get("text", System.Globalization.CultureInfo.InvariantCulture), citation, hit.Score);
            })];
        }
    }

    public int Count
    {
        get
        {
            lock (gate)
            {
                using var reader = DirectoryReader.Open(writer, applyAllDeletes: true);
                return reader.NumDocs;
            }
        }
    }

    private static int? Int(Document d, string field) => d.GetField(field)?.GetInt32Value();

    public void Dispose()
    {
        writer.Dispose();
        analyzer.Dispose();
        directory.Dispose();
    }
}
