using Planner.Documents;
using Planner.Engine.Data;
using Planner.Engine.Training;

namespace Planner.Hosting.Training;

/// <summary>What a run trains on, read through Planner's document extractor — the one place documents are parsed, with
/// its size, encoding and PDF safety checks always applied — and handed to the Engine as text: documents for a
/// language model, labelled examples for a classifier. Every problem a founder can cause becomes one sentence: a file
/// that cannot be read is skipped with a warning, data that cannot train at all throws <see cref="CorpusException"/>.</summary>
public static class TrainingCorpus
{
    /// <summary>A label column has at least two and at most this many distinct values (else it is an id or free text).</summary>
    public const int MaxClasses = 50;

    /// <summary>The documents of a request: its chosen files, else every file under its folder (or the file it names).</summary>
    public static CorpusLoad LoadDocuments(TrainingRequest request)
    {
        if (request.Files.Count == 0) return Load(request.CorpusDirectory, request.TextColumn);
        var loads = request.Files.Select(f => Load(f, request.TextColumn)).ToList();
        return new CorpusLoad([.. loads.SelectMany(l => l.Documents)], [.. loads.SelectMany(l => l.Warnings)]);
    }

    /// <summary>A file, or every file under a folder (in name order): .txt, .md and .pdf files are a document each (a PDF
    /// page by page); every row of a .csv file's text column is one.</summary>
    public static CorpusLoad Load(string path, string csvTextColumn = "text")
    {
        IEnumerable<string> files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : File.Exists(path) ? [path] : throw new CorpusException($"Corpus '{path}' does not exist.");
        var documents = new List<TextDocument>();
        var warnings = new List<string>();
        foreach (var file in files)
        {
            var size = new FileInfo(file).Length;
            var extracted = size > DocumentExtractor.MaxBytes
                ? ExtractionResult.Failed(DocumentKind.Text, $"it is {size / (1024.0 * 1024):0.#} MB; documents are limited to {DocumentExtractor.MaxBytes / (1024 * 1024)} MB.")
                : DocumentExtractor.Extract(file, File.ReadAllBytes(file), csvTextColumn);
            if (!extracted.Ok)
            {
                warnings.Add($"Skipped {file}: {extracted.Error}");
                continue;
            }
            documents.AddRange(extracted.Kind switch
            {
                DocumentKind.Csv => extracted.Segments.Select(s => new TextDocument($"{file}#row{s.Row}", s.Text)),
                DocumentKind.Pdf => [new TextDocument(file, string.Join("\n\n", extracted.Segments.Select(s => s.Text)))],
                _ => [new TextDocument(file, string.Join("\n", extracted.Segments.Select(s => s.Text)))],
            });
        }
        return new CorpusLoad(documents, warnings);
    }

    /// <summary>The labelled reviews of a classifier request; a file without usable labels says how to get some, and a
    /// class with a single example (nothing to learn it from and check it on) is refused by name.</summary>
    public static LabelledDataset LoadLabelled(TrainingRequest request)
    {
        var dataset = ReadLabelled(request.Files.Count > 0 ? request.Files[0] : request.CorpusDirectory, request.TextColumn, request.LabelColumn);
        if (Insights.Labelling.LabelSetCheck.Problem(dataset.Examples.Select(e => e.Label)) is { } problem) throw new CorpusException(problem);
        return dataset;
    }

    /// <summary>The text and label columns of a CSV (names compared case-insensitively); rows with an empty text or label
    /// are skipped. <paramref name="requireLabels"/> false reads texts only (to classify new data).</summary>
    public static LabelledDataset ReadLabelled(string path, string textColumn = "text", string labelColumn = "label", bool requireLabels = true)
    {
        var (table, name) = ReadTable(path);
        var text = table.Column(textColumn);
        var label = table.Column(labelColumn);
        if (text < 0)
            throw new CorpusException($"{name} has no '{textColumn}' column to classify (columns: {string.Join(", ", table.Header)}); name the text column with --text-column.");
        if (label < 0 && requireLabels) throw new CorpusException(NoLabels(name, table.Header));
        var examples = table.Rows
            .Select(row => new LabelledExample(row[text], row[label].Trim()))
            .Where(e => e.Text.Trim().Length > 0 && (!requireLabels || e.Label.Length > 0))
            .ToList();
        var dataset = new LabelledDataset(examples);
        if (requireLabels && dataset.Labels.Count < 2)
            throw new CorpusException(dataset.Labels.Count == 0
                ? $"{name} has no labelled rows."
                : $"Every row of {name} has the label '{dataset.Labels[0]}': a classifier needs at least two classes.");
        return dataset;
    }

    /// <summary>The CSV's columns with how many rows fill each and how many distinct values they hold (to offer label columns).</summary>
    public static IReadOnlyList<(string Name, int Filled, int Distinct)> DescribeColumns(string path)
    {
        var (table, _) = ReadTable(path);
        return [.. table.Header.Select((name, i) =>
        {
            var values = table.Rows.Select(r => r[i].Trim()).Where(v => v.Length > 0).ToList();
            return (name, values.Count, values.Distinct(StringComparer.Ordinal).Count());
        })];
    }

    /// <summary>Columns of a CSV that can serve as labels: not the text, with 2..<see cref="MaxClasses"/> distinct values
    /// that repeat (a column of unique values is an id, not a label).</summary>
    public static IReadOnlyList<string> LabelColumns(string csv, string textColumn = "text") =>
        [.. DescribeColumns(csv)
            .Where(c => !string.Equals(c.Name, textColumn, StringComparison.OrdinalIgnoreCase) && c.Distinct is >= 2 and <= MaxClasses && c.Distinct < c.Filled)
            .Select(c => c.Name)];

    public static string NoLabels(string file, IEnumerable<string> columns) =>
        $"{file} has no labels to learn from (columns: {string.Join(", ", columns)}). Label the reviews first — add a column " +
        "such as sentiment or category with a value on each row — or classify them with an existing classifier (Roadmap → Evidence).";

    /// <summary>Why this request cannot train, in one sentence, or null when its data and base model are usable.</summary>
    public static string? Problem(TrainingRequest request)
    {
        try
        {
            var shape = TrainingPlan.ModelShape(request);
            if (request.Task == TrainingTask.Classifier)
            {
                LoadLabelled(request);
                return null;
            }
            var loaded = LoadDocuments(request);
            if (loaded.Documents.Count == 0)
                return "The chosen data holds no readable text" + (loaded.Warnings.Count > 0 ? $" ({string.Join("; ", loaded.Warnings)})." : ".");
            TokenDataset.Build(loaded.Documents, shape.ContextLength, request.SeedOrDefault);
            return null;
        }
        catch (Exception e) when (e is CorpusException or CheckpointException or ArgumentException or IOException)
        {
            return e.Message;
        }
    }

    private static (CsvTable Table, string Name) ReadTable(string path)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path)) throw new CorpusException($"Data file '{path}' does not exist.");
        var size = new FileInfo(path).Length;
        if (size > DocumentExtractor.MaxBytes)
            throw new CorpusException($"{name} is {size / (1024.0 * 1024):0.#} MB; data files are limited to {DocumentExtractor.MaxBytes / (1024 * 1024)} MB.");
        var table = DocumentExtractor.ReadTable(name, File.ReadAllBytes(path), out var error) ?? throw new CorpusException($"{name}: {error}");
        if (table.Header.Count == 0 || table.Header.All(string.IsNullOrWhiteSpace))
            throw new CorpusException($"{name} is empty: a header row with a text column and a label column is needed.");
        return (table, name);
    }
}
