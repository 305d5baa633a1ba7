using System.Globalization;
using Planner.Roadmaps;

namespace Planner.Interchange;

/// <summary>Reads a single-mode project-scheduling instance in PSPLIB's <c>.sm</c> format as a roadmap: each renewable
/// resource becomes a team (capacity = its availability), each job an initiative (duration in weeks, people demanded
/// per team), each successor a finish-to-start dependency. The two dummy jobs (the first and the last, zero duration
/// and no demand) are left out: they only tie the project's start and end together. Job numbers stay in the keys
/// ("j2" is job 2), so a plan can be compared with the instance job by job.</summary>
public static class PsplibReader
{
    public static Workspace Read(string text, string name)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var jobs = ReadInt(lines, "jobs (incl. supersource/sink )");
        var resources = ReadInt(lines, "- renewable");
        if (jobs < 2) throw new FormatException($"{name}: an instance needs at least its two dummy jobs (got {jobs}).");

        var successors = new int[jobs + 1][];
        var precedence = Block(lines, "PRECEDENCE RELATIONS:", name);
        foreach (var row in precedence.Skip(1).Select(l => Numbers(l, name)))
        {
            // jobnr. #modes #successors successors...
            if (row.Length < 3 || row[0] < 1 || row[0] > jobs || row.Length != 3 + row[2])
                throw new FormatException($"{name}: a precedence row does not read as 'job, modes, count, successors': {string.Join(' ', row)}.");
            if (row[1] != 1) throw new FormatException($"{name}: job {row[0]} has {row[1]} modes; only single-mode instances are read.");
            if (row.Skip(3).Any(s => s < 1 || s > jobs)) throw new FormatException($"{name}: job {row[0]} has a successor outside 1..{jobs}.");
            successors[row[0]] = row[3..];
        }

        var duration = new int[jobs + 1];
        var demand = new int[jobs + 1][];
        var requests = Block(lines, "REQUESTS/DURATIONS:", name);
        foreach (var row in requests.Skip(1).Where(l => !l.StartsWith('-')).Select(l => Numbers(l, name)))
        {
            // jobnr. mode duration R1..Rk
            if (row.Length != 3 + resources || row[0] < 1 || row[0] > jobs)
                throw new FormatException($"{name}: a request row does not read as 'job, mode, duration' and {resources} demands: {string.Join(' ', row)}.");
            duration[row[0]] = row[2];
            demand[row[0]] = row[3..];
        }
        var missing = Enumerable.Range(1, jobs).FirstOrDefault(j => successors[j] is null || demand[j] is null);
        if (missing != 0) throw new FormatException($"{name}: job {missing} lacks its precedence or request row.");

        var availability = Block(lines, "RESOURCEAVAILABILITIES:", name);
        var capacity = availability.Length < 2 ? [] : Numbers(availability[1], name);
        if (capacity.Length != resources) throw new FormatException($"{name}: expected {resources} resource availabilities, got {capacity.Length}.");

        bool Dummy(int j) => (j == 1 || j == jobs) && duration[j] == 0 && demand[j].All(d => d == 0);
        var workspace = new Workspace { Name = name, PlanningStart = new DateOnly(2027, 1, 4) };
        for (var r = 0; r < resources; r++)
            workspace.Teams.Add(new Team { Key = $"R{r + 1}", Name = $"R{r + 1}", Capacity = capacity[r] });
        var items = new Dictionary<int, Initiative>();
        for (var j = 1; j <= jobs; j++)
        {
            if (Dummy(j)) continue;
            var item = new Initiative { Key = $"j{j}", Title = $"Job {j}", Order = j, DurationWeeks = duration[j] };
            for (var r = 0; r < resources; r++)
                if (demand[j][r] > 0) item.Demand.Add(new TeamDemand($"R{r + 1}", demand[j][r]));
            items[j] = item;
        }
        for (var j = 1; j <= jobs; j++)
        {
            if (!items.ContainsKey(j)) continue;
            foreach (var s in successors[j].Distinct())
                if (items.TryGetValue(s, out var successor)) successor.Dependencies.Add(new Dependency($"j{j}"));
        }
        workspace.Initiatives = [.. items.Values];
        return workspace;
    }

    private static int ReadInt(string[] lines, string label)
    {
        var line = lines.FirstOrDefault(l => l.TrimStart().StartsWith(label, StringComparison.Ordinal))
            ?? throw new FormatException($"The line '{label}' is missing.");
        var value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n : throw new FormatException($"The line '{label}' has no number.");
    }

    /// <summary>The lines after a section's title up to the next line of asterisks (the column header first).</summary>
    private static string[] Block(string[] lines, string title, string name)
    {
        var at = Array.FindIndex(lines, l => l.Trim() == title);
        if (at < 0) throw new FormatException($"{name}: the section '{title}' is missing.");
        return [.. lines.Skip(at + 1).TakeWhile(l => !l.StartsWith('*')).Where(l => l.Trim().Length > 0)];
    }

    private static int[] Numbers(string line, string name) =>
        [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t =>
            int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n : throw new FormatException($"{name}: '{t}' is not a whole number of zero or more (in '{line.Trim()}')."))];
}
