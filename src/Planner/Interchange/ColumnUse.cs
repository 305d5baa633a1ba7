namespace Planner.Interchange;

/// <summary>One column of an imported file in a preview: the field it becomes (null: dropped) and why.</summary>
public sealed record ColumnUse(string Header, string? Field, string Note)
{
    public override string ToString() => Field is null ? $"'{Header}' -> dropped: {Note}" : $"'{Header}' -> {Field}{(Note.Length > 0 ? $" ({Note})" : "")}";
}
