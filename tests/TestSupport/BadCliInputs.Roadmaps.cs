namespace Planner.TestSupport;

public static partial class BadCliInputs
{
    private const string Dates = "must be between 2000-01-01 and 2100-12-31";
    private const string TooMany = "a roadmap holds at most 5,000 initiatives. Split the file or leave out finished work.";

    private static BadCliCase Scenario(string change, string message) => new(["scenario", "@bounds-ok.json", "--no-solver", "--change", change], 1, $"planner: {message}");

    /// <summary>Roadmaps and scenario specs at or past the domain's bounds, given to the CLI.</summary>
    private static Dictionary<string, BadCliCase> RoadmapBoundCases => new()
    {
        ["bounds: deadline 9999-12-31"] = Import("deadline-9999.json", $"a, 'deadline': The deadline {Dates} (got 9999-12-31)."),
        ["bounds: duration 600,000 weeks"] = Import("duration-600000.json", "a, 'durationWeeks': Duration cannot be more than 520 weeks, ten years (got 600000)."),
        ["bounds: planning start in 9999"] = Import("start-9999.json", $"'start': The planning start {Dates} (got 9999-01-04)."),
        ["bounds: lag 2^31-1"] = Import("lag-max.json", "b, 'dependsOn': Lag after 'a' cannot be more than 520 weeks, ten years (got 2147483647)."),
        ["bounds: reach past a billion"] = Import("reach-past.json", "a, 'reach': reach cannot be more than 1,000,000,000 (got 2000000000)."),
        ["bounds: capacity past 10,000"] = Import("capacity-past.json", "be, 'capacity': Capacity cannot be more than 10,000 people (got 10001)."),
        ["bounds: people past 10,000"] = Import("people-past.json", "a, 'demand': Demand on 'be' cannot be more than 10,000 people (got 20000)."),
        ["bounds: date before 2000"] = Import("before-2000.json", $"a, 'earliestStart': The earliest start {Dates} (got 1999-12-31)."),
        ["bounds: CSV deadline 9999-12-31"] = Import("deadline-9999.csv", $"row 2, z1, 'deadline': The deadline {Dates} (got 9999-12-31)."),
        ["bounds: CSV past the row limit"] = Import("too-many-rows.csv", $"The file has more than 5,000 rows; {TooMany}"),
        ["bounds: JSON past the initiative limit"] = Import("too-many.json", $"The file has more than 5,000 initiatives; {TooMany}"),
        ["bounds: schedule a deadline in 9999"] = new(["schedule", "@deadline-9999.json", "--no-solver"], 1,
            $"planner: deadline-9999.json is not a valid roadmap (1 problem): a, 'deadline': The deadline {Dates} (got 9999-12-31)."),
        ["bounds: scenario delay 99999999999"] = Scenario("delay i1 99999999999", "A delay must be from 0 to 520 weeks (got 99999999999)."),
        ["bounds: scenario capacity from week 600000"] = Scenario("capacity be -2 from week 600000", "The week must be from 0 to 520 (got 600000)."),
        ["bounds: scenario date in 9999"] = Scenario("capacity be +1 from 9999-12-31", $"The date {Dates} (got 9999-12-31)."),
    };
}
