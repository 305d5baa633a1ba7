using Planner.Engine.Data;

namespace Planner.Engine.Tests.Data;

public class CorpusLoaderTests
{
    [Fact]
    public void Text_markdown_and_csv_text_columns_become_documents()
    {
        using var dir = new TempDirectory();
        dir.Write("a.txt", "First document.");
        dir.Write("sub/b.md", "# Second\nbody");
        dir.Write("reviews.csv", "id,text,rating\n1,\"Great, fast\",5\n2,Slow sync,2\n3,,1\n");
        var result = new CorpusLoader().Load(dir.Path);
        Assert.Equal(["First document.", "Great, fast", "Slow sync", "# Second\nbody"], result.Documents.Select(d => d.Text));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Binary_and_non_utf8_files_are_skipped_with_a_warning()
    {
        using var dir = new TempDirectory();
        dir.Write("good.txt", "Readable text.");
        File.WriteAllBytes(dir.File("image.txt"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]);
        File.WriteAllBytes(dir.File("latin1.md"), [0x63, 0x61, 0x66, 0xE9, 0x20, 0x6E, 0x6F, 0x69, 0x72]); // "café noir" in Latin-1
        var result = new CorpusLoader().Load(dir.Path);
        Assert.Equal(["Readable text."], result.Documents.Select(d => d.Text));
        Assert.Contains(result.Warnings, w => w.Contains("image.txt") && w.Contains("binary"));
        Assert.Contains(result.Warnings, w => w.Contains("latin1.md") && w.Contains("UTF-8"));
    }

    [Fact]
    public void A_csv_without_the_text_column_is_skipped_with_a_warning_naming_the_columns()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("notes.csv", "id,body\n1,hello\n");
        var result = new CorpusLoader().Load(file);
        Assert.Empty(result.Documents);
        Assert.Contains("id, body", Assert.Single(result.Warnings));
    }

    [Fact]
    public void A_missing_corpus_path_is_a_clear_error()
    {
        var error = Assert.Throws<CorpusException>(() => new CorpusLoader().Load("/nonexistent/planner-corpus"));
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void Pdf_text_is_read_and_a_damaged_pdf_is_skipped_with_a_warning()
    {
        using var dir = new TempDirectory();
        var builder = new UglyToad.PdfPig.Writer.PdfDocumentBuilder();
        var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        var font = builder.AddStandard14Font(UglyToad.PdfPig.Fonts.Standard14Fonts.Standard14Font.Helvetica);
        page.AddText("Invoices sync nightly", 12, new UglyToad.PdfPig.Core.PdfPoint(25, 700), font);
        File.WriteAllBytes(dir.File("notes.pdf"), builder.Build());
        File.WriteAllBytes(dir.File("broken.pdf"), "%PDF-1.7 this is not really a pdf"u8.ToArray());

        var result = new CorpusLoader().Load(dir.Path);
        Assert.Equal("Invoices sync nightly", Assert.Single(result.Documents).Text);
        Assert.Contains("broken.pdf", Assert.Single(result.Warnings));
    }

    [Fact]
    public void A_pdf_the_host_check_refuses_is_never_parsed_and_is_skipped_with_its_reason()
    {
        using var dir = new TempDirectory();
        var builder = new UglyToad.PdfPig.Writer.PdfDocumentBuilder();
        var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        page.AddText("Invoices sync nightly", 12, new UglyToad.PdfPig.Core.PdfPoint(25, 700), builder.AddStandard14Font(UglyToad.PdfPig.Fonts.Standard14Fonts.Standard14Font.Helvetica));
        var bytes = builder.Build();
        File.WriteAllBytes(dir.File("bomb.pdf"), bytes);
        File.WriteAllText(dir.File("notes.md"), "Billing first.");
        var checkedFiles = new List<byte[]>();

        var result = new CorpusLoader(pdfCheck: pdf => { checkedFiles.Add(pdf); return "The PDF unpacks to more than 256 MB."; }).Load(dir.Path);

        Assert.Equal(bytes, Assert.Single(checkedFiles)); // the check saw the file's bytes, and only the PDF
        Assert.Equal("Billing first.", Assert.Single(result.Documents).Text);
        Assert.Equal($"Skipped {dir.File("bomb.pdf")}: The PDF unpacks to more than 256 MB.", Assert.Single(result.Warnings));
    }
}
