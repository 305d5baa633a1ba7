namespace Planner.Interchange;

/// <summary>One reason a file cannot be imported, located as precisely as the format allows.</summary>
/// <param name="Row">1-based data row (CSV) or line (JSON), when known.</param>
/// <param name="Column">CSV column or JSON field, when known.</param>
/// <param name="Item">Id of the initiative, team or objective concerned, when known.</param>
/// <param name="Message">What is wrong, in a sentence.</param>
public sealed record ImportProblem(int? Row, string? Column, string? Item, string Message)
{
    public static ImportProblem General(string message) => new(null, null, null, message);

    public override string ToString()
    {
        var where = new List<string>();
        if (Row is { } row) where.Add($"row {row}");
        if (Item is not null) where.Add(Item);
        if (Column is not null) where.Add($"'{Column}'");
        return where.Count == 0 ? Message : $"{string.Join(", ", where)}: {Message}";
    }
}
