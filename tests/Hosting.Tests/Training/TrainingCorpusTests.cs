using Planner.Engine.Data;
using Planner.Hosting.Training;

namespace Planner.Hosting.Tests.Training;

/// <summary>What a run trains on, read through Planner's document extractor and handed to the Engine as text.</summary>
public class TrainingCorpusTests
{
    private static byte[] TextPdf(string text)
    {
        var builder = new UglyToad.PdfPig.Writer.PdfDocumentBuilder();
        var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        var font = builder.AddStandard14Font(UglyToad.PdfPig.Fonts.Standard14Fonts.Standard14Font.Helvetica);
        page.AddText(text, 12, new UglyToad.PdfPig.Core.PdfPoint(25, 700), font);
        return builder.Build();
    }

    [Fact]
    public void Text_markdown_and_csv_text_columns_become_documents()
    {
        using var dir = new TempFolder();
        dir.Write("a.txt", "First document.");
        dir.Write("sub/b.md", "# Second\nbody");
        dir.Write("reviews.csv", "id,text,rating\n1,\"Great, fast\",5\n2,Slow sync,2\n3,,1\n");
        var result = TrainingCorpus.Load(dir.Path);
        Assert.Equal(["First document.", "Great, fast", "Slow sync", "# Second\nbody"], result.Documents.Select(d => d.Text));
        Assert.Equal(dir.File("reviews.csv") + "#row2", result.Documents[1].Source); // a row is cited by its line
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Binary_non_utf8_and_unsupported_files_are_skipped_with_a_warning()
    {
        using var dir = new TempFolder();
        dir.Write("good.txt", "Readable text.");
        File.WriteAllBytes(dir.File("image.txt"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]);
        File.WriteAllBytes(dir.File("latin1.md"), [0x63, 0x61, 0x66, 0xE9, 0x20, 0x6E, 0x6F, 0x69, 0x72]); // "café noir" in Latin-1
        dir.Write("tool.exe", "MZ");
        var result = TrainingCorpus.Load(dir.Path);
        Assert.Equal(["Readable text."], result.Documents.Select(d => d.Text));
        Assert.Contains(result.Warnings, w => w.StartsWith($"Skipped {dir.File("image.txt")}", StringComparison.Ordinal) && w.Contains("binary"));
        Assert.Contains(result.Warnings, w => w.Contains("latin1.md") && w.Contains("UTF-8"));
        Assert.Contains(result.Warnings, w => w.Contains("tool.exe") && w.Contains("not a supported document"));
    }

    [Fact]
    public void A_csv_without_the_text_column_is_skipped_with_a_warning_naming_the_columns()
    {
        using var dir = new TempFolder();
        var file = dir.Write("notes.csv", "id,body\n1,hello\n");
        var result = TrainingCorpus.Load(file);
        Assert.Empty(result.Documents);
        Assert.Contains("'id', 'body'", Assert.Single(result.Warnings));
    }

    [Fact]
    public void A_missing_corpus_path_is_a_clear_error()
    {
        var error = Assert.Throws<CorpusException>(() => TrainingCorpus.Load("/nonexistent/planner-corpus"));
        Assert.Equal("Corpus '/nonexistent/planner-corpus' does not exist.", error.Message);
    }

    [Fact]
    public void Pdf_text_is_read_and_a_damaged_pdf_is_skipped_with_a_warning()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("notes.pdf"), TextPdf("Invoices sync nightly"));
        File.WriteAllBytes(dir.File("broken.pdf"), "%PDF-1.7 this is not really a pdf"u8.ToArray());

        var result = TrainingCorpus.Load(dir.Path);
        Assert.Equal("Invoices sync nightly", Assert.Single(result.Documents).Text);
        Assert.Contains("broken.pdf", Assert.Single(result.Warnings));
    }

    [Fact]
    public void A_compression_bomb_pdf_is_never_parsed_whichever_host_reads_the_corpus()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("bomb.pdf"), TestPdfs.FlateBomb(300L * 1024 * 1024));
        dir.Write("notes.md", "Billing first.");

        var result = TrainingCorpus.Load(dir.Path);

        Assert.Equal("Billing first.", Assert.Single(result.Documents).Text);
        Assert.Equal($"Skipped {dir.File("bomb.pdf")}: The PDF unpacks to more than 256 MB (a compression bomb?); it was not read.", Assert.Single(result.Warnings));
    }

    [Fact]
    public void A_file_over_the_document_limit_is_skipped_unread()
    {
        using var dir = new TempFolder();
        using (var big = File.Create(dir.File("huge.txt"))) big.SetLength(21L * 1024 * 1024); // sparse: no 21 MB written
        dir.Write("notes.md", "Billing first.");
        var result = TrainingCorpus.Load(dir.Path);
        Assert.Equal("Billing first.", Assert.Single(result.Documents).Text);
        Assert.Contains("documents are limited to 20 MB", Assert.Single(result.Warnings));
    }

    [Fact]
    public void The_sample_reviews_load_with_their_sentiment_labels_and_split_stratified()
    {
        var data = TrainingCorpus.ReadLabelled(RepositoryRoot.SampleData("reviews.csv"), "text", "sentiment");
        Assert.Equal(212, data.Examples.Count);
        var (train, validation) = data.StratifiedSplit(seed: 4, validationFraction: 0.2);
        Assert.Equal(212, train.Count + validation.Count);
        foreach (var label in data.Labels)
        {
            var share = validation.Count(e => e.Label == label) / (double)data.Examples.Count(e => e.Label == label);
            Assert.InRange(share, 0.1, 0.3);
        }
        Assert.Equal(validation, data.StratifiedSplit(seed: 4, validationFraction: 0.2).Validation);
    }

    [Fact]
    public void A_csv_without_the_named_columns_is_refused_naming_the_columns_it_has()
    {
        using var dir = new TempFolder();
        var file = dir.Write("r.csv", "id,body,stars\n1,nice,5\n");
        var noText = Assert.Throws<CorpusException>(() => TrainingCorpus.ReadLabelled(file, "text", "label"));
        Assert.Contains("no 'text' column", noText.Message);
        Assert.Contains("id, body, stars", noText.Message);
        var noLabels = Assert.Throws<CorpusException>(() => TrainingCorpus.ReadLabelled(file, "body", "label"));
        Assert.Contains("has no labels to learn from (columns: id, body, stars)", noLabels.Message);
    }

    [Fact]
    public void A_single_class_label_set_is_refused_and_texts_alone_can_be_read_to_classify()
    {
        using var dir = new TempFolder();
        var file = dir.Write("r.csv", "text,label\ngood,pos\ngreat,pos\n");
        Assert.Contains("two classes", Assert.Throws<CorpusException>(() => TrainingCorpus.ReadLabelled(file)).Message);
        var unlabelled = dir.Write("new.csv", "text\nslow sync\n\nfast export\n");
        Assert.Equal(["slow sync", "fast export"], TrainingCorpus.ReadLabelled(unlabelled, requireLabels: false).Examples.Select(e => e.Text));
    }

    [Fact]
    public void Malformed_or_misnamed_data_files_are_refused_in_one_sentence()
    {
        using var dir = new TempFolder();
        var quotes = dir.Write("quotes.csv", "text,label\n\"open quote,pos\n");
        Assert.Contains("not well-formed CSV", Assert.Throws<CorpusException>(() => TrainingCorpus.ReadLabelled(quotes)).Message);
        File.WriteAllBytes(dir.File("pdf.csv"), TextPdf("not a table"));
        Assert.Contains("is a PDF, not a CSV", Assert.Throws<CorpusException>(() => TrainingCorpus.ReadLabelled(dir.File("pdf.csv"))).Message);
        Assert.Contains("does not exist", Assert.Throws<CorpusException>(() => TrainingCorpus.ReadLabelled(dir.File("none.csv"))).Message);
    }

    [Fact]
    public void Label_columns_are_offered_only_where_values_repeat()
    {
        using var dir = new TempFolder();
        var file = dir.Write("r.csv", "id,text,sentiment,area\n1,a,pos,billing\n2,b,neg,billing\n3,c,pos,sync\n4,d,neg,sync\n");
        Assert.Equal(["sentiment", "area"], TrainingCorpus.LabelColumns(file));
    }
}
