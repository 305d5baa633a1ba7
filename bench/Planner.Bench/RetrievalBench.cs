using System.Diagnostics;
using System.Text;
using Planner.Documents;
using Planner.Persistence;
using Planner.Files;

namespace Planner.Bench;

/// <summary>Search latency of the document library (Lucene BM25) holding 1,000 documents: the five sample documents
/// plus generated notes on the same subjects, queried with hand-written questions whose answer is in a sample document.</summary>
public static class RetrievalBench
{
    private static readonly (string Question, string Expected)[] Questions =
    [
        ("What do customers say about the price per seat?", "pricing-notes.md"),
        ("Which plan changes take effect in April 2027?", "pricing-notes.md"),
        ("Where do we lose deals against Satchel?", "competitor-note.md"),
        ("What did Rosa Delgado at Harbor & Pine ask for?", "customer-interviews.md"),
        ("Why did the QuickBooks sync incidents happen in Q4?", "q4-2026-retro.md"),
        ("What went well in the Q4 retro?", "q4-2026-retro.md"),
        ("Who is our ideal customer profile?", "vision.md"),
        ("What are the 2027 bets and product pillars?", "vision.md"),
    ];

    private static readonly string[] Words =
        ("client portal checklist onboarding invoice reconciliation deadline reminder bookkeeping payroll export import sync " +
         "dashboard report permission audit workflow template recurring task document upload signature approval mobile " +
         "notification integration accountant partner firm season quarter backlog release feedback support ticket churn").Split(' ');

    public static async Task RunAsync(bool quick)
    {
        var folder = Path.Combine(Path.GetTempPath(), "planner-bench-docs", Guid.NewGuid().ToString("N"));
        var paths = new PlannerPaths(folder);
        try
        {
            var factory = PlannerDbContextFactory.ForSqlite(paths.DatabaseFile);
            await new PlannerDatabase(factory, new RoadmapStore(factory, TimeProvider.System)).InitializeAsync(seedSample: false);
            using var index = new DocumentIndex(Path.Combine(folder, "index"));
            var library = new DocumentLibrary(factory, index, paths, TimeProvider.System);
            var sampleDocs = Path.Combine(AppContext.BaseDirectory, "sample", "docs");
            var clock = Stopwatch.StartNew();
            foreach (var file in Directory.GetFiles(sampleDocs, "*.md").Order(StringComparer.Ordinal))
                Check(await library.AddAsync(Path.GetFileName(file), await File.ReadAllBytesAsync(file)));
            // The generated notes go straight into the index, extracted and chunked exactly as the library does, in one
            // commit: storing 995 files durably one by one would only slow the set-up, not change what is searched.
            var random = new Random(42);
            var chunks = new List<DocumentChunk>();
            var samples = (await library.ListAsync()).Count;
            for (var i = samples; i < 1000; i++)
            {
                var name = $"note-{i:0000}.md";
                var extracted = DocumentExtractor.Extract(name, Encoding.UTF8.GetBytes(Note(random, i)));
                chunks.AddRange(Chunker.Chunk(100_000 + i, name, extracted.Kind, extracted.Segments));
            }
            index.Add(chunks);
            var loadSeconds = clock.Elapsed.TotalSeconds;

            var repeats = quick ? 10 : 50;
            foreach (var (question, _) in Questions) library.Search(question); // warm-up
            var latencies = new List<double>();
            var right = 0;
            for (var r = 0; r < repeats; r++)
            {
                foreach (var (question, expected) in Questions)
                {
                    clock.Restart();
                    var hits = library.Search(question, top: 5);
                    latencies.Add(clock.Elapsed.TotalMilliseconds);
                    if (r == 0 && hits.Count > 0 && hits[0].Citation.DocumentName == expected) right++;
                }
            }
            latencies.Sort();
            double Percentile(double p) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(p * latencies.Count) - 1)];
            Console.WriteLine($"Retrieval: 1000 documents ({samples} sample documents through the library, the rest generated), {index.Count} passages (added in {loadSeconds:0.0} s); " +
                              $"{latencies.Count} searches (top 5) over {Questions.Length} hand-written questions");
            Console.WriteLine($"  p50 {Percentile(0.50):0.00} ms   p95 {Percentile(0.95):0.00} ms   max {latencies[^1]:0.00} ms   " +
                              $"right document first: {right}/{Questions.Length}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Check(AddDocumentResult added)
    {
        if (!added.Ok) throw new InvalidOperationException(added.Error);
    }

    /// <summary>A plausible internal note: a heading and a few paragraphs of the product's vocabulary.</summary>
    private static string Note(Random random, int n)
    {
        var text = new StringBuilder($"# Note {n}: {Words[random.Next(Words.Length)]} and {Words[random.Next(Words.Length)]}\n\n");
        for (var p = 0; p < 4; p++)
        {
            for (var w = 0; w < 60; w++) text.Append(Words[random.Next(Words.Length)]).Append(w % 12 == 11 ? ".\n" : " ");
            text.Append("\n\n");
        }
        return text.ToString();
    }
}
