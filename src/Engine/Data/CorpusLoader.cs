using System.Text;

namespace Planner.Engine.Data;

/// <summary>Reads a training corpus from a file or a folder: .txt, .md and .pdf files are one document each (a PDF's
/// text layer, page by page); in .csv files every row's text column is one document. Files that are binary or not UTF-8 are skipped with a warning so one bad
/// upload does not stop a training run.</summary>
/// <param name="pdfCheck">Says why a PDF's bytes must not be parsed (null when they may): PdfPig inflates a PDF's
/// streams without a bound, so a small compression bomb would exhaust memory. The host supplies Planner's check
/// (Planner and Engine do not import each other); without one, PDFs are parsed unchecked.</param>
public sealed class CorpusLoader(string csvTextColumn = "text", Func<byte[], string?>? pdfCheck = null)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public CorpusLoadResult Load(string path)
    {
        var documents = new List<TextDocument>();
        var warnings = new List<string>();
        IEnumerable<string> files;
        if (Directory.Exists(path))
            files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        else if (File.Exists(path))
            files = [path];
        else
            throw new CorpusException($"Corpus '{path}' does not exist.");

        foreach (var file in files)
        {
            var extension = Path.GetExtension(file).ToLowerInvariant();
            if (extension == ".pdf")
            {
                if (ReadPdf(file, warnings) is { } pdfText) documents.Add(new TextDocument(file, pdfText));
                continue;
            }
            if (extension is not (".txt" or ".md" or ".csv"))
            {
                warnings.Add($"Skipped {file}: only .txt, .md, .csv and .pdf files are read.");
                continue;
            }
            var text = ReadText(file, warnings);
            if (text is null) continue;
            if (extension == ".csv") documents.AddRange(ReadCsvDocuments(file, text, warnings));
            else if (text.Trim().Length > 0) documents.Add(new TextDocument(file, text));
        }
        return new CorpusLoadResult(documents, warnings);
    }

    /// <summary>The text layer of a PDF, or null (with a warning) when it is unreadable or has no text (e.g. a scan).</summary>
    private string? ReadPdf(string file, List<string> warnings)
    {
        try
        {
            var bytes = File.ReadAllBytes(file);
            if (pdfCheck?.Invoke(bytes) is { } problem)
            {
                warnings.Add($"Skipped {file}: {problem}");
                return null;
            }
            using var pdf = UglyToad.PdfPig.PdfDocument.Open(bytes);
            var text = string.Join("\n\n", pdf.GetPages().Select(page => string.Join(" ", page.GetWords().Select(w => w.Text))));
            if (text.Trim().Length > 0) return text;
            warnings.Add($"Skipped {file}: the PDF has no text layer (scanned images are not read).");
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // PdfPig throws several exception types on damaged files; any of them means "cannot read this one".
            warnings.Add($"Skipped {file}: not a readable PDF ({e.Message}).");
            return null;
        }
    }

    /// <summary>The file's text, or null (with a warning) when it is binary or not valid UTF-8.</summary>
    private static string? ReadText(string file, List<string> warnings)
    {
        var bytes = File.ReadAllBytes(file);
        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            warnings.Add($"Skipped {file}: it looks binary (contains NUL bytes).");
            return null;
        }
        try
        {
            var text = StrictUtf8.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException)
        {
            warnings.Add($"Skipped {file}: it is not valid UTF-8 text.");
            return null;
        }
    }

    private IEnumerable<TextDocument> ReadCsvDocuments(string file, string text, List<string> warnings)
    {
        CsvTable table;
        try { table = CsvTable.Parse(text, file); }
        catch (CorpusException e)
        {
            warnings.Add($"Skipped {file}: {e.Message}");
            return [];
        }
        var column = table.Column(csvTextColumn);
        if (column < 0)
        {
            warnings.Add($"Skipped {file}: no '{csvTextColumn}' column (columns: {string.Join(", ", table.Header)}).");
            return [];
        }
        return table.Rows.Select((row, i) => new TextDocument($"{file}#row{i + 2}", row[column])).Where(d => d.Text.Trim().Length > 0).ToList();
    }
}
