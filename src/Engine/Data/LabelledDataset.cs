namespace Planner.Engine.Data;

/// <summary>Labelled texts read from a CSV (e.g. reviews with a sentiment column) and the sorted set of labels.</summary>
public sealed class LabelledDataset
{
    public IReadOnlyList<LabelledExample> Examples { get; }
    public IReadOnlyList<string> Labels { get; }

    public LabelledDataset(IReadOnlyList<LabelledExample> examples)
    {
        Examples = examples;
        Labels = [.. examples.Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Reads the text and label columns (names compared case-insensitively). Rows with an empty text or label
    /// are skipped. <paramref name="requireLabels"/> false reads texts only (for classifying new data).</summary>
    public static LabelledDataset FromCsv(string path, string textColumn = "text", string labelColumn = "label", bool requireLabels = true)
    {
        if (!File.Exists(path)) throw new CorpusException($"Data file '{path}' does not exist.");
        var table = CsvTable.Parse(File.ReadAllText(path), Path.GetFileName(path));
        if (table.Header.Length == 0 || table.Header.All(string.IsNullOrWhiteSpace))
            throw new CorpusException($"'{path}' is empty: a header row with '{textColumn}' and '{labelColumn}' columns is needed.");
        var text = table.Column(textColumn);
        var label = table.Column(labelColumn);
        var missing = new[] { (Index: text, Name: textColumn), (Index: label, Name: labelColumn) }
            .Where(c => c.Index < 0 && (requireLabels || c.Name == textColumn)).Select(c => $"'{c.Name}'").ToList();
        if (missing.Count > 0)
            throw new CorpusException($"'{Path.GetFileName(path)}' has no {string.Join(" or ", missing)} column (columns: {string.Join(", ", table.Header)}); name the columns with --text-column/--label-column.");

        var examples = new List<LabelledExample>();
        foreach (var row in table.Rows)
        {
            var labelValue = label >= 0 ? row[label].Trim() : "";
            if (row[text].Trim().Length == 0 || (requireLabels && labelValue.Length == 0)) continue;
            examples.Add(new LabelledExample(row[text], labelValue));
        }
        var dataset = new LabelledDataset(examples);
        if (requireLabels && dataset.Labels.Count < 2)
            throw new CorpusException(dataset.Labels.Count == 0
                ? $"'{Path.GetFileName(path)}' has no labelled rows."
                : $"Every row of '{Path.GetFileName(path)}' has the label '{dataset.Labels[0]}': a classifier needs at least two classes.");
        return dataset;
    }

    /// <summary>The CSV's columns with how many rows fill each and how many distinct values they hold (to offer label columns).</summary>
    public static IReadOnlyList<(string Name, int Filled, int Distinct)> DescribeColumns(string path)
    {
        if (!File.Exists(path)) throw new CorpusException($"Data file '{path}' does not exist.");
        var table = CsvTable.Parse(File.ReadAllText(path), Path.GetFileName(path));
        return [.. table.Header.Select((name, i) =>
        {
            var values = table.Rows.Select(r => r[i].Trim()).Where(v => v.Length > 0).ToList();
            return (name.Trim(), values.Count, values.Distinct(StringComparer.Ordinal).Count());
        })];
    }

    /// <summary>Stratified split: each label contributes the same share to validation (at least one example when it
    /// has two or more), deterministic by seed.</summary>
    public (IReadOnlyList<LabelledExample> Train, IReadOnlyList<LabelledExample> Validation) StratifiedSplit(int seed, double validationFraction = 0.2)
    {
        var train = new List<LabelledExample>();
        var validation = new List<LabelledExample>();
        foreach (var (group, index) in Examples.GroupBy(e => e.Label).OrderBy(g => g.Key, StringComparer.Ordinal).Select((g, i) => (g.ToArray(), i)))
        {
            DeterministicRandom.For(seed, 0x57A7, index).Shuffle(group);
            var held = group.Length < 2 ? 0 : Math.Clamp((int)Math.Round(group.Length * validationFraction), 1, group.Length - 1);
            validation.AddRange(group[..held]);
            train.AddRange(group[held..]);
        }
        return (train, validation);
    }
}
