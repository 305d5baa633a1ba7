namespace Planner.Assistant.Chat;

/// <summary>What the tools of one chat turn did, in order; passage numbers run across the whole turn.</summary>
public sealed class ToolLog
{
    private readonly List<ToolRecord> records = [];
    private readonly Lock gate = new();

    public IReadOnlyList<ToolRecord> Records
    {
        get { lock (gate) return [.. records]; }
    }

    public int NextPassageNumber
    {
        get { lock (gate) return records.Sum(r => r.Passages.Count) + 1; }
    }

    public string Add(ToolRecord record)
    {
        lock (gate) records.Add(record);
        return record.Result;
    }
}
