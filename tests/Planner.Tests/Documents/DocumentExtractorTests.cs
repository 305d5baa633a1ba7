using System.Text;
using Planner.Documents;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Planner.Tests.Documents;

public class DocumentExtractorTests
{
    internal static byte[] Pdf(params string[] pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var text in pages)
        {
            var page = builder.AddPage(PageSize.A4);
            page.AddText(text, 12, new PdfPoint(25, 700), font);
        }
        return builder.Build();
    }

    [Fact]
    public void Markdown_keeps_line_numbers_and_passages_cite_them()
    {
        var md = "# Title\n\nFirst paragraph about bank feeds.\n\n## Second\nReconciliation takes a day.\n";
        var result = DocumentExtractor.Extract("notes.md", Encoding.UTF8.GetBytes(md));
        Assert.True(result.Ok, result.Error);
        Assert.Equal(DocumentKind.Markdown, result.Kind);
        var chunks = Chunker.Chunk(7, "notes.md", result.Kind, result.Segments);
        Assert.Equal(2, chunks.Count);
        Assert.Equal("notes.md, lines 1–3", chunks[0].Citation.ToString());
        Assert.Equal("notes.md, lines 5–6", chunks[1].Citation.ToString());
        Assert.StartsWith("## Second", chunks[1].Text);
    }

    [Fact]
    public void Pdf_text_is_extracted_per_page()
    {
        var result = DocumentExtractor.Extract("board.pdf", Pdf("Runway is eighteen months.", "Hiring plan for Q2."));
        Assert.True(result.Ok, result.Error);
        var chunks = Chunker.Chunk(1, "board.pdf", result.Kind, result.Segments);
        Assert.Equal("board.pdf, p. 2", chunks[1].Citation.ToString());
        Assert.Contains("Hiring plan", chunks[1].Text);
    }

    [Fact]
    public void Csv_uses_the_chosen_or_obvious_text_column_one_passage_per_row()
    {
        var csv = "id,text,label\nr1,Sync broke again,negative\nr2,\"Love it, truly\",positive\n";
        var guessed = DocumentExtractor.Extract("reviews.csv", Encoding.UTF8.GetBytes(csv));
        Assert.True(guessed.Ok, guessed.Error);
        var chunks = Chunker.Chunk(3, "reviews.csv", guessed.Kind, guessed.Segments);
        Assert.Equal(["Sync broke again", "Love it, truly"], chunks.Select(c => c.Text));
        Assert.Equal("reviews.csv, row 3", chunks[1].Citation.ToString());
        var chosen = DocumentExtractor.Extract("reviews.csv", Encoding.UTF8.GetBytes(csv), "label");
        Assert.Equal("negative", chosen.Segments[0].Text);
        var missing = DocumentExtractor.Extract("x.csv", Encoding.UTF8.GetBytes("a,b\n1,2\n"));
        Assert.Equal("Choose the text column: the file has 'a', 'b'.", missing.Error);
    }

    [Fact]
    public void Utf16_text_and_csv_as_windows_and_spreadsheets_save_them_are_read_like_utf8()
    {
        var csv = "id,text,label\nr1,Sync broke again,negative\nr2,\"Café, truly\",positive\n";
        foreach (var bytes in new[]
                 {
                     Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(csv)).ToArray(),                   // Excel's "Unicode text"
                     Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(csv)).ToArray(),
                     Encoding.Unicode.GetBytes(csv),                                                                    // no byte order mark
                 })
        {
            var read = DocumentExtractor.Extract("reviews.csv", bytes);
            Assert.True(read.Ok, read.Error);
            Assert.Equal(["Sync broke again", "Café, truly"], read.Segments.Select(s => s.Text));
        }
        var notes = DocumentExtractor.Extract("notes.txt", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("Billing first.\nThen bank feeds.")).ToArray());
        Assert.Equal(["Billing first.", "Then bank feeds."], notes.Segments.Select(s => s.Text));
        // UTF-16 whose text holds NUL characters is binary all the same, and a lone surrogate is refused by name.
        Assert.Equal("The file is binary, not text.", DocumentExtractor.Extract("x.txt", [0xFF, 0xFE, 0x41, 0, 0, 0, 0x42, 0]).Error);
        Assert.Equal("The file is not valid UTF-16 text; save it as UTF-8 and upload it again.", DocumentExtractor.Extract("x.txt", [0xFF, 0xFE, 0x41, 0, 0x00, 0xD8, 0x42, 0]).Error);
    }

    [Theory]
    [InlineData("empty.txt", new byte[0], "The file is empty.")]
    [InlineData("blob.txt", new byte[] { 65, 0, 66 }, "The file is binary, not text.")]
    [InlineData("latin1.txt", new byte[] { 0x63, 0x61, 0x66, 0xE9 }, "not UTF-8")]
    [InlineData("archive.pdf", new byte[] { 0x50, 0x4B, 0x03, 0x04, 1, 2, 3 }, "named .pdf but is not a PDF")]
    [InlineData("broken.pdf", new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37, 10, 1, 2, 3 }, "could not be read")]
    [InlineData("slides.pptx", new byte[] { 1 }, "not a supported document")]
    public void Files_that_are_not_readable_documents_are_refused_with_a_reason(string name, byte[] content, string expected)
    {
        var result = DocumentExtractor.Extract(name, content);
        Assert.False(result.Ok);
        Assert.Contains(expected, result.Error);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused()
    {
        var result = DocumentExtractor.Extract("big.txt", new byte[DocumentExtractor.MaxBytes + 1]);
        Assert.Equal("The file is 20 MB; documents are limited to 20 MB.", result.Error);
    }
}
