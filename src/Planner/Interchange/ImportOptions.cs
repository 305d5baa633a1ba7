namespace Planner.Interchange;

/// <summary>How to import an initiatives CSV: a mapping that replaces the recognised format's defaults (null: the
/// defaults), and the ids of initiatives no longer in a tracker's export that the founder chose to remove.</summary>
public sealed record ImportOptions(ImportMapping? Mapping = null, IReadOnlyCollection<string>? Remove = null)
{
    public static readonly ImportOptions Default = new();
}
