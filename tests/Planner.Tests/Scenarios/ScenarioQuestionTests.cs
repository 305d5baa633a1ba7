using Planner.Scenarios;
using Planner.Scheduling;

namespace Planner.Tests.Scenarios;

public sealed class ScenarioQuestionTests
{
    /// <summary>How many of the questions in ScenarioQuestions.tsv the planner reads right on its own, as measured
    /// (see docs/user-guide.md): a change that reads fewer fails here.</summary>
    public const int UnderstoodWithoutModel = 29;

    public static IReadOnlyList<(string Question, string[] Changes)> Questions() =>
        File.ReadAllLines(RepositoryRoot.File("tests", "Planner.Tests", "Scenarios", "ScenarioQuestions.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(p => (p[0], p[1].Split(" | ")))
            .ToList();

    [Fact]
    public void The_planner_alone_reads_the_measured_number_of_the_thirty_scenario_questions()
    {
        var ws = Samples.Sample();
        var questions = Questions();
        Assert.Equal(30, questions.Count);
        var wrong = questions.Where(q => !q.Changes.SequenceEqual(ScenarioQuestion.Understand(q.Question, ws) ?? [])).ToList();
        Assert.True(questions.Count - wrong.Count == UnderstoodWithoutModel,
            $"{questions.Count - wrong.Count} right; wrong: " + string.Join("; ", wrong.Select(q => $"'{q.Question}' → [{string.Join(", ", ScenarioQuestion.Understand(q.Question, ws) ?? [])}]")));
    }

    [Fact]
    public void Every_change_the_planner_reads_is_valid_scenario_language_and_runs()
    {
        var ws = Samples.Sample();
        var runner = new ScenarioRunner(new CpSatScheduler());
        var greedy = SchedulerOptions.Default with { UseSolver = false };
        foreach (var (question, _) in Questions())
        {
            if (ScenarioQuestion.Understand(question, ws) is not { } specs) continue;
            var changes = new List<ScenarioChange>();
            foreach (var spec in specs)
            {
                Assert.True(ScenarioSpec.TryParse(spec, ws, out var change, out var error), $"{question}: {error}");
                changes.Add(change!);
            }
            var result = runner.Run(ws, changes, greedy);
            Assert.True(result.Ok, $"{question}: {result.Summary}");
        }
    }

    [Theory]
    [InlineData("What do our documents say about pricing?")]
    [InlineData("What if we lose two engineers?")]
    [InlineData("Summarise the plan")]
    [InlineData("Delay the thing by 2 weeks")]
    public void A_question_that_is_not_a_known_phrasing_or_names_no_team_or_initiative_is_left_to_the_model(string question) =>
        Assert.Null(ScenarioQuestion.Understand(question, Samples.Sample()));

    [Fact]
    public void A_team_id_or_month_that_is_an_english_word_is_not_read_as_such()
    {
        var ws = Samples.Sample();
        Assert.Null(ScenarioQuestion.Understand("What would be lost if two people leave?", ws));
        Assert.Equal(["capacity be -2 from week 3"], ScenarioQuestion.Understand("What if Backend loses 2 people from week 3?", ws));
        Assert.Equal(["capacity be -2 from week 0"], ScenarioQuestion.Understand("What may happen if Backend loses 2 people?", ws));
    }
}
