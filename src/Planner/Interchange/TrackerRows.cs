using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Planner.Roadmaps;

namespace Planner.Interchange;

/// <summary>Turns a tracker export's rows into rows of Planner's own columns, which <see cref="CsvMerge"/> then applies
/// like any initiatives CSV — one import path, the tracker only a mapping onto it. Stories roll up into their parent
/// (epic); "blocks" links become dependencies; estimates become weeks; statuses and teams are mapped. Linear in rows:
/// every lookup is a dictionary's.</summary>
internal sealed class TrackerRows(TrackerFormat format, ImportMapping mapping, Workspace target)
{
    private const int MaxDroppedLines = 200;

    private readonly List<ImportProblem> problems = [];
    private readonly Dictionary<string, int> dropped = new(StringComparer.Ordinal); // reason -> count, in first-seen order
    private readonly List<string> droppedOrder = [];
    private readonly Dictionary<string, Initiative> existing = IndexByKey(target);

    private const int MaxDistinctValues = 200;

    public List<ColumnUse> Columns { get; } = [];
    public Dictionary<string, string> Statuses { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, string?> TeamValues { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<ImportProblem> Problems => problems;

    public IReadOnlyList<string> Dropped =>
        [.. droppedOrder.Take(MaxDroppedLines).Select(r => dropped[r] == 1 ? r : $"{r} ({dropped[r]:#,0} rows)"),
         .. droppedOrder.Count > MaxDroppedLines ? [$"… and {droppedOrder.Count - MaxDroppedLines:#,0} more."] : Array.Empty<string>()];

    private static Dictionary<string, Initiative> IndexByKey(Workspace workspace)
    {
        var index = new Dictionary<string, Initiative>(StringComparer.Ordinal);
        foreach (var i in workspace.Initiatives) index.TryAdd(i.Key, i);
        return index;
    }

    private void Drop(string reason)
    {
        if (dropped.TryGetValue(reason, out var n)) { dropped[reason] = n + 1; return; }
        dropped[reason] = 1;
        droppedOrder.Add(reason);
    }

    private sealed class Item
    {
        public required int Line;
        public required string Key;
        public string Number = "";
        public string Title = "";
        public string Description = "";
        public string Status = "";
        public double? Weeks;
        public string Type = "";
        public string Parent = "";
        public List<string> Teams = [];
        public List<string> Blocks = [];
        public List<string> BlockedBy = [];
        public DateOnly? Deadline;
        public DateOnly? Start;
        public Item? Top;
        public List<Item> Children = [];
    }

    /// <summary>Maps the header; false (with problems) when the rows cannot become initiatives.</summary>
    public bool MapHeader(IReadOnlyList<string> header, out Dictionary<string, List<int>> fields)
    {
        fields = new(StringComparer.Ordinal);
        var byHeader = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (column, field) in mapping.Columns) byHeader[TrackerFormats.Normalize(column)] = field;
        var unrecognised = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i];
            seen[name] = seen.GetValueOrDefault(name) + 1;
            if (byHeader.TryGetValue(TrackerFormats.Normalize(name), out var field) && field.Length > 0)
            {
                if (!fields.TryGetValue(field, out var list)) fields[field] = list = [];
                list.Add(i);
                if (seen[name] == 1) Columns.Add(new(name, field, ColumnNote(field)));
            }
            else if (seen[name] == 1 && name.Trim().Length > 0)
            {
                var reason = byHeader.ContainsKey(TrackerFormats.Normalize(name)) ? "the mapping drops it" : TrackerFormats.DropReason(format, name);
                Columns.Add(new(name, null, reason));
                if (!byHeader.ContainsKey(TrackerFormats.Normalize(name))) unrecognised.Add(name);
            }
        }
        foreach (var use in Columns.Where(c => seen[c.Header] > 1).ToList())
            Columns[Columns.IndexOf(use)] = use with { Note = $"{seen[use.Header]} columns{(use.Note.Length > 0 ? "; " : "")}{use.Note}" };

        foreach (var required in new[] { "id", "title" })
        {
            if (fields.ContainsKey(required)) continue;
            var candidates = unrecognised.Count == 0 ? "" : $" Columns not recognised: {string.Join(", ", unrecognised.Take(12).Select(u => $"'{u}'"))}.";
            problems.Add(new(1, required, null,
                $"This looks like a {TrackerFormats.Title(format)} export, but no column gives the initiatives' {required}.{candidates} " +
                $"Map one of them to '{required}' in the import preview (or with planner import --mapping file.json)."));
        }
        return problems.Count == 0;
    }

    private string ColumnNote(string field) => field switch
    {
        "estimate" => $"{mapping.EstimateUnit} × {mapping.WeeksPerUnit.ToString("0.####", CultureInfo.InvariantCulture)} = weeks, rounded up",
        "team" => "values naming a team become its demand (1 person)",
        "parent" => mapping.RollUpIntoParents ? "stories roll up into their parent" : "kept apart (roll-up is off)",
        "blocks" => "this issue blocks those: they depend on it",
        "blockedBy" => "this issue depends on those",
        "number" => "the tracker's internal number, only to resolve parents",
        "status" => "mapped to idea / planned / in progress / done / dropped",
        _ => "",
    };

    /// <summary>The rows in Planner's columns, one per initiative (an epic with its stories is one).</summary>
    public List<InitiativeCsv.CsvRow> Convert(Dictionary<string, List<int>> fields, IReadOnlyList<(int Line, string[] Cells)> rows)
    {
        var items = new List<Item>(rows.Count);
        var byKey = new Dictionary<string, Item>(rows.Count, StringComparer.Ordinal);
        var byNumber = new Dictionary<string, Item>(StringComparer.Ordinal);
        foreach (var (line, cells) in rows)
        {
            var item = Read(fields, line, cells);
            if (!byKey.TryAdd(item.Key, item))
            {
                problems.Add(new(line, "id", item.Key, $"The issue '{item.Key}' is also in row {byKey[item.Key].Line}."));
                continue;
            }
            if (item.Number.Length > 0) byNumber.TryAdd(item.Number, item);
            items.Add(item);
        }
        if (problems.Count > 0) return [];

        Item? ParentOf(Item item)
        {
            if (item.Parent.Length == 0) return null;
            if (byNumber.TryGetValue(item.Parent, out var p) || byKey.TryGetValue(TrackerValues.Key(item.Parent), out p)) return p == item ? null : p;
            Drop($"Parent '{item.Parent}' is not in this file; its stories are imported as initiatives of their own");
            return null;
        }
        if (mapping.RollUpIntoParents)
        {
            foreach (var item in items) TopOf(item, ParentOf);
            foreach (var item in items.Where(i => i.Top != i)) item.Top!.Children.Add(item);
        }
        else
        {
            foreach (var item in items) item.Top = item;
        }

        var tops = items.Where(i => i.Top == i).ToList();
        var dependencies = tops.ToDictionary(t => t, _ => new OrderedKeys());
        var notes = tops.ToDictionary(t => t, _ => new List<string>());
        foreach (var item in items)
        {
            foreach (var other in item.BlockedBy) Link(item.Top!, other, dependent: true);
            foreach (var other in item.Blocks) Link(item.Top!, other, dependent: false);
        }

        void Link(Item top, string reference, bool dependent)
        {
            var key = TrackerValues.Key(reference);
            if (key.Length == 0) return;
            var resolved = byKey.TryGetValue(key, out var linked) ? linked.Top!.Key : existing.ContainsKey(key) ? key : null;
            if (resolved is null)
            {
                notes[top].Add(dependent ? $"blocked by {key}" : $"blocks {key}");
                Drop($"Link to {key}, which is not in this file or the roadmap: kept as a note in {top.Key}'s description");
                return;
            }
            if (resolved == top.Key) return; // inside one epic
            if (dependent) dependencies[top].Add(resolved);
            else if (byKey.TryGetValue(resolved, out var blocked) && dependencies.TryGetValue(blocked, out var list)) list.Add(top.Key);
            else Drop($"{top.Key} blocks {resolved}, which is not in this file: the roadmap's {resolved} keeps its own dependencies");
        }

        var source = TrackerFormats.Name(format);
        return [.. tops.Select(top => Row(top, dependencies[top], notes[top], source))];
    }

    /// <summary>Keys in first-added order without repeats, each added in constant time.</summary>
    private sealed class OrderedKeys
    {
        private readonly HashSet<string> seen = new(StringComparer.Ordinal);
        public List<string> Items { get; } = [];

        public void Add(string key)
        {
            if (seen.Add(key)) Items.Add(key);
        }
    }

    /// <summary>The outermost parent in the file (iterative: a chain of thousands of stories must not exhaust the stack;
    /// a parent cycle ends where it meets an item already on the path).</summary>
    private static void TopOf(Item item, Func<Item, Item?> parentOf)
    {
        var path = new List<Item>();
        var onPath = new HashSet<Item>();
        var current = item;
        Item top;
        while (true)
        {
            if (current.Top is not null) { top = current.Top; break; }
            path.Add(current);
            onPath.Add(current);
            var parent = parentOf(current);
            if (parent is null || onPath.Contains(parent)) { top = current; break; }
            current = parent;
        }
        foreach (var step in path) step.Top = top;
    }

    private Item Read(Dictionary<string, List<int>> fields, int line, string[] cells)
    {
        string First(string field) =>
            fields.TryGetValue(field, out var columns) ? columns.Select(c => c < cells.Length ? cells[c].Trim() : "").FirstOrDefault(v => v.Length > 0) ?? "" : "";
        List<string> All(string field) =>
            fields.TryGetValue(field, out var columns)
                ? [.. columns.Where(c => c < cells.Length).SelectMany(c => InitiativeText.SplitList(cells[c].Replace(' ', ';')))]
                : [];
        List<string> Values(string field) =>
            fields.TryGetValue(field, out var columns)
                ? [.. columns.Where(c => c < cells.Length).SelectMany(c => InitiativeText.SplitList(cells[c]))]
                : [];

        var title = First("title");
        var id = First("id");
        var key = id.Length > 0 ? TrackerValues.Key(id) : DraftKey(title);
        if (id.Length == 0) Drop("A row without an id (a draft) gets one made from its title, so a re-import finds it again");
        var item = new Item { Line = line, Key = key, Number = First("number"), Title = title, Description = First("description"),
            Status = First("status"), Type = First("type"), Parent = First("parent"), Teams = Values("team"),
            Blocks = All("blocks"), BlockedBy = All("blockedBy") };
        if (title.Length == 0) problems.Add(new(line, "title", key, "The title is empty."));

        var estimate = First("estimate");
        if (estimate.Length > 0)
        {
            if (TrackerEstimate.Parse(estimate, out var problem) is { } value) item.Weeks = value * mapping.WeeksPerUnit;
            else Drop($"{key}: {problem}; imported as unestimated");
        }
        item.Deadline = DateField(First("deadline"), key, "deadline");
        item.Start = DateField(First("earliestStart"), key, "start date");
        return item;
    }

    private DateOnly? DateField(string text, string key, string what)
    {
        if (text.Length == 0) return null;
        if (TrackerValues.Date(text) is { } date) return date;
        Drop($"{key}: the {what} '{text}' is not a date Planner reads; left out");
        return null;
    }

    private static string DraftKey(string title) =>
        "draft-" + System.Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(title.Trim().ToLowerInvariant())))[..8].ToLowerInvariant();

    private InitiativeCsv.CsvRow Row(Item top, OrderedKeys dependencies, List<string> notes, string source)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = top.Key,
            ["title"] = top.Title,
            ["status"] = EnumNames.Of(Status(top)),
            ["source"] = source,
            ["dependsOn"] = string.Join(";", dependencies.Items),
        };
        var description = top.Description;
        if (top.Children.Count > 0)
            description = Append(description, $"Rolled up from {top.Children.Count} {(top.Children.Count == 1 ? "story" : "stories")}: {string.Join(", ", top.Children.Take(50).Select(c => c.Key))}{(top.Children.Count > 50 ? ", …" : "")}.");
        if (notes.Count > 0) description = Append(description, $"Tracker links to issues not in the import: {string.Join("; ", notes)}.");
        values["description"] = description;

        // An epic's weeks: its own estimate (if any) plus its stories'.
        var estimated = top.Children.Where(c => c.Weeks is not null).ToList();
        double? weeks = estimated.Count > 0 ? (top.Weeks ?? 0) + estimated.Sum(c => c.Weeks!.Value) : top.Weeks;
        if (estimated.Count > 0 && estimated.Count < top.Children.Count)
            Drop($"{top.Key}: {top.Children.Count - estimated.Count} of its {top.Children.Count} stories have no estimate; the sum counts the others");
        if (weeks is { } w) values["durationWeeks"] = TrackerEstimate.Weeks(w).ToString(CultureInfo.InvariantCulture);
        // Unestimated: no duration column, so a new initiative is unestimated and an existing one keeps its weeks.

        var teams = new OrderedKeys();
        foreach (var value in top.Teams.Concat(top.Children.SelectMany(c => c.Teams)))
        {
            var team = TeamOf(value);
            if (TeamValues.Count < MaxDistinctValues) TeamValues.TryAdd(value, team);
            if (team is not null) teams.Add(team);
            else Drop($"'{value}' is not a team in this workspace; map it under teams to use it");
        }
        if (teams.Items.Count > 0) values["demand"] = string.Join(";", teams.Items);

        var deadline = top.Deadline ?? top.Children.Select(c => c.Deadline).Where(d => d is not null).Min();
        if (deadline is { } d) values["deadline"] = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (top.Start is { } s) values["earliestStart"] = s.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new InitiativeCsv.CsvRow(top.Line, values);
    }

    private static string Append(string text, string note) => text.Length == 0 ? note : $"{text}\n\n{note}";

    private InitiativeStatus Status(Item top)
    {
        var own = Mapped(top);
        if (top.Children.Count == 0 || own is InitiativeStatus.Done or InitiativeStatus.Dropped) return own;
        var children = top.Children.Select(Mapped).ToList();
        if (children.All(c => c is InitiativeStatus.Done or InitiativeStatus.Dropped) && children.Contains(InitiativeStatus.Done))
            return InitiativeStatus.Done;
        if (children.Any(c => c is InitiativeStatus.InProgress or InitiativeStatus.Done)) return InitiativeStatus.InProgress;
        return own;
    }

    private InitiativeStatus Mapped(Item item)
    {
        if (item.Status.Length == 0) return InitiativeStatus.Planned;
        var status = TrackerValues.Status(item.Status, mapping);
        if (Statuses.Count < MaxDistinctValues) Statuses.TryAdd(item.Status, EnumNames.Of(status ?? InitiativeStatus.Planned));
        if (status is { } known) return known;
        Drop($"Status '{item.Status}' is not in the status map; imported as planned");
        return InitiativeStatus.Planned;
    }

    private string? TeamOf(string value)
    {
        foreach (var (name, key) in mapping.Teams)
            if (string.Equals(name.Trim(), value, StringComparison.OrdinalIgnoreCase) && target.Teams.Any(t => t.Key == key)) return key;
        return target.Teams.Find(t => string.Equals(t.Key, value, StringComparison.OrdinalIgnoreCase)
            || string.Equals(t.Name, value, StringComparison.OrdinalIgnoreCase))?.Key;
    }
}
