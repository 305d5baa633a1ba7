using System.Text;
using Planner.Documents;
using Planner.Persistence;
using Planner.Tests.Persistence;

namespace Planner.Tests.Documents;

public sealed class DocumentLibraryTests : IAsyncLifetime
{
    private TempDatabase db = default!;
    private DocumentIndex index = default!;
    private DocumentLibrary library = default!;

    public async Task InitializeAsync()
    {
        db = await TempDatabase.CreateAsync(seedSample: false);
        index = new DocumentIndex(Path.Combine(db.Directory, "index"));
        library = new DocumentLibrary(db.Factory(), index, db.Paths, TimeProvider.System);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "sample", "docs"), "*.md"))
            Assert.True((await library.AddAsync(Path.GetFileName(file), await File.ReadAllBytesAsync(file))).Ok);
    }

    public async Task DisposeAsync()
    {
        index.Dispose();
        await db.DisposeAsync();
    }

    [Theory]
    [InlineData("What happened with the QuickBooks sync incidents last quarter?", "q4-2026-retro.md")]
    [InlineData("Who is our ideal customer profile?", "vision.md")]
    [InlineData("How does Satchel compare with us and where do we lose deals?", "competitor-note.md")]
    [InlineData("What did Rosa Delgado say in her interview?", "customer-interviews.md")]
    [InlineData("Proposed price change per seat for the Team plan", "pricing-notes.md")]
    [InlineData("Why did customers churn in Q4?", "q4-2026-retro.md")]
    public void The_right_sample_document_ranks_first_with_a_citation(string question, string expected)
    {
        var hits = library.Search(question, top: 3);
        Assert.NotEmpty(hits);
        Assert.Equal(expected, hits[0].Citation.DocumentName);
        Assert.Matches(@"^[\w.-]+\.md, lines? \d+", hits[0].Citation.ToString());
    }

    [Fact]
    public async Task Uploads_are_stored_under_generated_names_and_duplicates_are_refused()
    {
        var added = await library.AddAsync("../../etc/notes.txt", Encoding.UTF8.GetBytes("Offsite plan: hire two backend engineers in Q2."));
        Assert.True(added.Ok, added.Error);
        Assert.Equal("notes.txt", added.Document!.FileName);
        Assert.Matches("^[0-9a-f]{32}\\.txt$", added.Document.StoredName);
        Assert.True(File.Exists(Path.Combine(db.Directory, "documents", added.Document.StoredName)));

        var again = await library.AddAsync("copy.txt", Encoding.UTF8.GetBytes("Offsite plan: hire two backend engineers in Q2."));
        Assert.False(again.Ok);
        Assert.Equal("copy.txt is already in the library as 'notes.txt'.", again.Error);
        Assert.Equal(6, (await library.ListAsync()).Count);
    }

    [Fact]
    public async Task A_refused_upload_changes_nothing()
    {
        var before = index.Count;
        var refused = await library.AddAsync("scan.pdf", [0x50, 0x4B, 0x03, 0x04]);
        Assert.False(refused.Ok);
        Assert.Equal(before, index.Count);
        Assert.Equal(5, (await library.ListAsync()).Count);
        Assert.Empty(Directory.GetFiles(Path.Combine(db.Directory, "documents"), "*.pdf"));
    }

    [Fact]
    public async Task Delete_removes_the_document_its_file_and_its_passages()
    {
        var doc = (await library.ListAsync()).Single(d => d.FileName == "pricing-notes.md");
        Assert.Contains(library.Search("price per seat"), h => h.Citation.DocumentId == doc.Id);
        Assert.True(await library.DeleteAsync(doc.Id));
        Assert.DoesNotContain(library.Search("price per seat", top: 20), h => h.Citation.DocumentId == doc.Id);
        Assert.False(File.Exists(Path.Combine(db.Directory, "documents", doc.StoredName)));
        Assert.DoesNotContain(await library.ListAsync(), d => d.Id == doc.Id);
    }

    [Fact]
    public async Task Passages_can_be_previewed_with_their_citations()
    {
        var doc = (await library.ListAsync()).Single(d => d.FileName == "vision.md");
        var passages = await library.PassagesAsync(doc.Id);
        Assert.Equal(doc.Chunks, passages.Count);
        Assert.StartsWith("# Ledgerloom", passages[0].Text);
        Assert.Equal("vision.md, lines 1–", passages[0].Citation.ToString()[..("vision.md, lines 1–".Length)]);
    }

    [Fact]
    public void Questions_with_query_syntax_are_taken_literally()
    {
        Assert.NotNull(library.Search("AND OR (sync* \"unclosed"));
        Assert.Empty(library.Search("   "));
    }
}
