namespace Planner.Documents;

/// <summary>One data row of a <see cref="CsvTable"/>: the line it starts on and a field per header column.</summary>
public sealed record CsvRow(int Line, IReadOnlyList<string> Fields)
{
    /// <summary>The field in column <paramref name="index"/>, or "" for a column the row lacks (or -1).</summary>
    public string this[int index] => index >= 0 && index < Fields.Count ? Fields[index] : "";
}
