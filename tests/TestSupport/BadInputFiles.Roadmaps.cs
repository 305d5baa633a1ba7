namespace Planner.TestSupport;

public static partial class BadInputFiles
{
    /// <summary>Roadmaps that are valid JSON and CSV but hold dates, durations and numbers at or past the domain's bounds.</summary>
    private static void WriteRoadmapsAtBounds(string folder)
    {
        void Text(string name, string content) => File.WriteAllText(Path.Combine(folder, name), content);
        string Roadmap(params string[] items) => $"{{{Teams}, \"initiatives\": [{string.Join(", ", items)}]}}";

        Text("bounds-ok.json", Roadmap(Item("i1"), Item("i2", ", \"dependsOn\": [\"i1\"]")));
        Text("deadline-9999.json", Roadmap(Item("a", ", \"deadline\": \"9999-12-31\", \"deadlineHard\": true")));
        Text("duration-600000.json", Roadmap(Item("a").Replace("\"durationWeeks\": 1", "\"durationWeeks\": 600000")));
        Text("start-9999.json", Roadmap(Item("a")).Replace("2027-01-04", "9999-01-04"));
        Text("lag-max.json", Roadmap(Item("a"), Item("b", ", \"dependsOn\": [{\"id\": \"a\", \"lagWeeks\": 2147483647}]")));
        Text("reach-past.json", Roadmap(Item("a", ", \"reach\": 2000000000")));
        Text("capacity-past.json", Roadmap(Item("a")).Replace("\"capacity\": 4", "\"capacity\": 10001"));
        Text("people-past.json", Roadmap(Item("a").Replace("{\"be\": 1}", "{\"be\": 20000}")));
        Text("before-2000.json", Roadmap(Item("a", ", \"earliestStart\": \"1999-12-31\"")));
        Text("too-many.json", Roadmap([.. Enumerable.Range(0, 5_001).Select(n => Item($"x{n}"))]));
        Text("deadline-9999.csv", "id,title,durationWeeks,deadline\nz1,Forever,2,9999-12-31\n");
        Text("too-many-rows.csv", "id,title,durationWeeks\n" + string.Concat(Enumerable.Range(0, 5_001).Select(n => $"z{n},Row {n},1\n")));
    }
}
