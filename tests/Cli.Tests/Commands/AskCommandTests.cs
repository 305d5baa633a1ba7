using Planner.Assistant.Chat;

namespace Planner.Cli.Tests.Commands;

public class AskCommandTests
{
    private const string Question = "What happens if the backend team loses two people from week 12?";

    [Fact]
    public async Task Without_a_model_a_common_what_if_is_computed_and_printed_as_json_with_its_changes_and_end_weeks()
    {
        using var dir = new TempFolder();
        var run = await CliRun.Of("ask", Question, "--json", "--data-dir", dir.File("data"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = run.Json;
        Assert.Equal(["capacity be -2 from week 12"], json.GetProperty("scenario").GetProperty("changes").EnumerateArray().Select(c => c.GetString()));
        var before = json.GetProperty("scenario").GetProperty("endWeekBefore").GetInt32();
        Assert.InRange(json.GetProperty("scenario").GetProperty("endWeekAfter").GetInt32(), before, before + 52);
        var call = Assert.Single(json.GetProperty("toolCalls").EnumerateArray());
        Assert.Equal("run_scenario", call.GetProperty("tool").GetString());
        Assert.Equal("capacity be -2 from week 12", call.GetProperty("arguments").GetProperty("changes")[0].GetString());
        Assert.EndsWith(ChatAssistant.NoModelNote, json.GetProperty("answer").GetString());
    }

    [Fact]
    public async Task With_the_tiny_random_model_the_scenario_is_still_the_planners_and_the_model_phrases_the_answer()
    {
        using var dir = new TempFolder();
        var model = TinyModel.Write(dir.File("tiny.gguf"), "tiny-ask", context: 1024, seed: 5);
        var run = await CliRun.Of("ask", Question, "--model", model, "--json", "--data-dir", dir.File("data"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(["capacity be -2 from week 12"], run.Json.GetProperty("scenario").GetProperty("changes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("tiny.gguf", run.Json.GetProperty("model").GetString());
        Assert.DoesNotContain(ChatAssistant.NoModelNote, run.Json.GetProperty("answer").GetString());
    }

    [Fact]
    public async Task A_model_that_fails_the_tool_call_check_answers_without_tools_and_says_so_and_is_checked_once()
    {
        using var dir = new TempFolder();
        var model = TinyModel.Write(dir.File("tiny.gguf"), "tiny-ask", context: 1024, seed: 5);
        var run = await CliRun.Of("ask", "Which initiatives matter most for larger firms?", "--model", model, "--json", "--data-dir", dir.File("data"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("Checking once whether tiny.gguf can call the planner's tools", run.Stderr);
        Assert.False(run.Json.GetProperty("modelCallsTools").GetBoolean());
        Assert.Empty(run.Json.GetProperty("toolCalls").EnumerateArray());

        var again = await CliRun.Of("ask", "Cut dark mode", "--model", model, "--data-dir", dir.File("data"));
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.DoesNotContain("Checking once", again.Stderr);
        Assert.Contains("This model can't call tools reliably", again.Stderr);
        Assert.Contains("Scenario: cut i31", again.Stdout); // the planner's own reading
    }

    [Fact]
    public async Task As_text_the_answer_is_followed_by_the_scenario_and_its_end_weeks()
    {
        using var dir = new TempFolder();
        var run = await CliRun.Of("ask", "Cut dark mode", "--data-dir", dir.File("data"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("Scenario: cut i31", run.Stdout);
        Assert.Matches(@"End week: \d+ → \d+", run.Stdout);
    }

    [Theory]
    [InlineData("--workspace", "Nowhere", "there is no workspace 'Nowhere'.")]
    [InlineData("--model", "none.gguf", "none.gguf: no such model file.")]
    public async Task Bad_input_exits_1_with_the_reason(string option, string value, string message)
    {
        using var dir = new TempFolder();
        var run = await CliRun.Of("ask", Question, option, value, "--data-dir", dir.File("data"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Stderr);
    }
}
