using System.Text.Json;
using Planner.Assistant;
using Planner.Assistant.Drafting;
using Planner.Llm;
using Planner.Roadmaps;
using Planner.Scenarios;
using Planner.Scheduling;

namespace Planner.Tests.Assistant;

public class DraftingTests
{
    private static readonly PromptLibrary Prompts = PromptLibrary.Load(PromptLibrary.DefaultFolder);
    private static readonly SchedulerOptions Fast = SchedulerOptions.Default with { TimeLimit = TimeSpan.FromSeconds(1) };

    private static string Item(string title, string team = "be", int people = 1, int weeks = 4, string extra = "") =>
        $$"""{"title": "{{title}}", "description": "d", "team": "{{team}}", "people": {{people}}, "weeks": {{weeks}}, "reach": 500, "impact": 2, "confidence": 0.8, "moscow": "should", "dependsOn": []{{extra}}}""";

    [Fact]
    public void Invalid_items_are_reported_with_their_reason_and_dropped_never_repaired()
    {
        var ws = Samples.Small();
        var json = $$"""{"initiatives": [{{Item("Usage billing")}}, {{Item("Big bang", people: 9)}}, {{Item("Forever", weeks: 80)}}, {{Item("Ghost team", team: "ops")}}, {{Item("usage  billing")}}, {{Item("Initiative i1")}}]}""";
        var (items, problems) = DraftParser.Parse(json, ws, new DraftOptions { MaxItems = 8 });
        Assert.Equal(["Usage billing"], items.Select(i => i.Title));
        Assert.Equal("d1", items[0].Key);
        Assert.Equal(4, items[0].DurationWeeks);
        Assert.Equal(MoSCoW.Should, items[0].MoSCoW);
        Assert.Collection(problems,
            p => Assert.Contains("Item 2 (\"Big bang\"): needs 9 people but team be never has more than 4", p),
            p => Assert.Contains("Item 3 (\"Forever\"): weeks must be a whole number from 1 to 52 (got 80)", p),
            p => Assert.Contains("Item 4 (\"Ghost team\"): unknown team 'ops'", p),
            p => Assert.Contains("Item 5 (\"usage  billing\"): an initiative with this title already exists or was drafted twice", p),
            p => Assert.Contains("Item 6 (\"Initiative i1\"): an initiative with this title already exists", p));
    }

    [Theory]
    [InlineData(1, "([1-1])")]
    [InlineData(9, "([1-9])")]
    [InlineData(10, "([1-9] | \"1\" [0-0])")]
    [InlineData(52, "([1-9] | [1-4] [0-9] | \"5\" [0-2])")]
    [InlineData(20, "([1-9] | \"1\" [0-9] | \"2\" [0-0])")]
    public void Number_ranges_in_the_grammar_are_exact(int max, string rule) => Assert.Equal(rule, DraftGrammar.UpTo(max));

    [Fact]
    public void The_grammar_holds_each_team_to_the_people_it_has()
    {
        var grammar = DraftGrammar.For(Samples.Small(), new DraftOptions());
        Assert.Contains("staffing ::= \"\\\"be\\\"\" \", \\\"people\\\": \" ([1-4]) | \"\\\"fe\\\"\" \", \\\"people\\\": \" ([1-2])", grammar);
        Assert.Contains("dep ::= \"\\\"i1\\\"\" | \"\\\"i2\\\"\" | \"\\\"i3\\\"\"", grammar);
    }

    [Fact]
    public void Text_with_broken_utf8_is_reported_not_cleaned()
    {
        var (items, problems) = DraftParser.Parse("{\"initiatives\": [" + Item("Billing \uFFFD\uFFFD") + "]}", Samples.Small(), new DraftOptions());
        Assert.Empty(items);
        Assert.Contains("not valid UTF-8", Assert.Single(problems));
    }

    [Fact]
    public void A_reply_cut_off_by_the_output_limit_yields_nothing_and_says_so()
    {
        var (items, problems) = DraftParser.Parse("{\"initiatives\": [" + Item("Usage billing") + ", {\"title\": \"Half", Samples.Small(), new DraftOptions { MaxOutputTokens = 100 });
        Assert.Empty(items);
        Assert.Contains("not valid JSON", Assert.Single(problems));
        Assert.Contains("output limit of 100 tokens", problems[0]);
    }

    [Fact]
    public async Task A_model_whose_context_cannot_hold_the_instructions_and_the_reply_is_refused_before_it_generates()
    {
        var model = new ScriptedChatService("{}");
        var drafter = new RoadmapDrafter(Prompts, new ScenarioRunner(new CpSatScheduler()), null);

        var draft = await drafter.DraftAsync(model.Backend(context: 256), Samples.Sample(), "Win larger customers", new DraftOptions { MaxOutputTokens = 600 }, scheduler: Fast);

        Assert.Empty(model.Requests);
        var problem = Assert.Single(draft.Problems);
        Assert.StartsWith("scripted holds 256 tokens of context in all: too few for the drafting instructions", problem);
        Assert.Contains("a reply of up to 600 tokens", problem);
        Assert.Contains("larger context on the Models page.", problem);
        var lower = await drafter.DraftAsync(model.Backend(context: 512), Samples.Sample(), "Win larger customers", new DraftOptions { MaxOutputTokens = 600 }, scheduler: Fast);
        Assert.Contains($"or lower the output limit to {512 - RoadmapDrafter.MinimumPromptTokens} tokens", Assert.Single(lower.Problems));
    }

    [Fact]
    public async Task The_drafting_instructions_fit_the_token_allowance_the_drafter_keeps_for_them()
    {
        using var runtime = new LanguageModelRuntime(new ModelRegistry([Path.GetDirectoryName(TinyModel.Wide)!]));
        runtime.Choose(TinyModel.Wide, ModelSettings.Default);
        var ws = Samples.Sample();
        var drafter = new RoadmapDrafter(Prompts, new ScenarioRunner(new CpSatScheduler()), null);
        // The smallest prompt the drafter sends: no initiatives, no passages, a one-line brief.
        var (prompt, _) = await drafter.PromptAsync(ws, "Win larger customers", new DraftOptions { Passages = 0 }, contextTokens: 0);
        var (_, tokens) = await runtime.MeasureAsync(prompt);
        Assert.InRange(tokens, RoadmapDrafter.MinimumPromptTokens - 40, RoadmapDrafter.MinimumPromptTokens);
    }

    [Fact]
    public async Task A_reply_cut_off_by_the_output_limit_says_how_many_tokens_were_written_against_how_many_characters_arrived()
    {
        using var runtime = new LanguageModelRuntime(new ModelRegistry([Path.GetDirectoryName(TinyModel.Wide)!]));
        runtime.Choose(TinyModel.Wide, new ModelSettings { Seed = 12 });
        var backend = new LocalChatBackendProvider(runtime).Current(out _)!;
        var options = new DraftOptions { MaxItems = 5, MaxOutputTokens = 64, Temperature = 1.0 };

        var draft = await new RoadmapDrafter(Prompts, new ScenarioRunner(new CpSatScheduler()), null).DraftAsync(backend, Samples.Sample(), "Win larger customers", options, scheduler: Fast);

        var generation = draft.Generation!;
        Assert.Equal((64, 64, GenerationEnd.TokenLimit), (generation.TokensGenerated, generation.TokensAllowed, generation.End));
        Assert.Equal(draft.Reply.Length, generation.Characters);
        Assert.Empty(draft.Items);
        var problem = Assert.Single(draft.Problems);
        Assert.StartsWith($"The model wrote 64 tokens (the output limit) but only {draft.Reply.Length} characters", problem);
        Assert.Contains("the reply stopped before its JSON was complete", problem);
        Assert.EndsWith("Raise the output limit or ask for fewer initiatives.", problem);
    }

    [Fact]
    public async Task A_draft_is_scored_and_scheduled_by_the_planner_and_accepting_some_items_adds_exactly_those()
    {
        var ws = Samples.Sample();
        var reply = $$"""{"initiatives": [{{Item("Usage-based billing", weeks: 6, extra: "")}}, {{Item("Offline mode", team: ws.Teams[1].Key, weeks: 3)}}]}""";
        var model = new ScriptedChatService(reply);
        var drafter = new RoadmapDrafter(Prompts, new ScenarioRunner(new CpSatScheduler()), null);
        var draft = await drafter.DraftAsync(model.Backend(), ws, "Grow revenue from larger customers", new DraftOptions(), scheduler: Fast);

        Assert.Empty(draft.Problems);
        Assert.Equal(["d1", "d2"], draft.Items.Select(i => i.Key));
        Assert.NotNull(draft.Result);
        Assert.NotNull(draft.Result!.ScenarioSchedule.Find("d1"));
        var ranked = Planner.Prioritization.Prioritizer.Rank(ws).Count;
        Assert.Equal(ranked + 2, draft.Scores.Count);
        Assert.StartsWith("RICE", draft.ScoreOf("d1")!.Breakdown);
        var facts = RoadmapDrafter.Facts(draft);
        Assert.Contains("d1 Usage-based billing: 6 weeks, 1 be; rank ", facts);
        Assert.Contains(" of " + (ranked + 2) + " (RICE", facts);

        // The request carried the grammar and the workspace's facts.
        var (history, settings) = Assert.Single(model.Requests);
        Assert.Contains("Brief: Grow revenue from larger customers", history[^1].Content);
        Assert.Contains(ws.Teams[0].Key + ": " + ws.Teams[0].Name, history[^1].Content);
        Assert.Contains("root ::=", (string)settings!.ExtensionData![ChatSettings.GrammarKey]);

        var accepted = RoadmapDrafter.Accept(ws, draft, ["d2"]);
        Assert.Equal(ws.Initiatives.Count + 1, accepted.Initiatives.Count);
        var added = accepted.Initiatives[^1];
        Assert.Equal("Offline mode", added.Title);
        Assert.Null(ws.FindInitiative(added.Key));
        Assert.Empty(RoadmapValidator.Validate(accepted));
        Assert.Throws<ArgumentException>(() => RoadmapDrafter.Accept(ws, draft, ["d9"]));
    }

    [Fact]
    public async Task An_empty_brief_never_reaches_the_model()
    {
        var model = new ScriptedChatService();
        var draft = await new RoadmapDrafter(Prompts, new ScenarioRunner(new CpSatScheduler()), null).DraftAsync(model.Backend(), Samples.Small(), "   ", new DraftOptions());
        Assert.Equal("Write a brief first: what should the roadmap achieve?", Assert.Single(draft.Problems));
        Assert.Empty(model.Requests);
    }

    [Fact]
    public async Task The_prompt_is_budgeted_to_the_context_dropping_initiatives_and_passages_first()
    {
        var ws = Samples.Sample();
        var drafter = new RoadmapDrafter(Prompts, new ScenarioRunner(new CpSatScheduler()), (q, n) => [.. Enumerable.Range(1, n).Select(i => new Planner.Documents.SearchHit(new string('x', 390), new Planner.Documents.Citation(i, $"doc{i}.md", FirstLine: 1, LastLine: 9), 1))]);
        var (wide, widePassages) = await drafter.PromptAsync(ws, "brief", new DraftOptions(), 8192);
        var (narrow, narrowPassages) = await drafter.PromptAsync(ws, "brief", new DraftOptions(), 1024);
        Assert.Equal(3, widePassages.Count);
        Assert.True(narrow.Length <= (1024 - 600 - 8) * 3, $"{narrow.Length} characters");
        Assert.True(narrow.Length < wide.Length);
        Assert.True(narrowPassages.Count <= widePassages.Count);
        Assert.Contains("Brief: brief", narrow);
    }

    [Fact]
    public async Task A_real_model_drafting_under_the_generated_grammar_returns_json_of_the_schema()
    {
        using var runtime = new LanguageModelRuntime(new ModelRegistry([Path.GetDirectoryName(TinyModel.Wide)!]));
        runtime.Choose(TinyModel.Wide, new ModelSettings { Seed = 11 });
        var backend = new LocalChatBackendProvider(runtime).Current(out var problem);
        Assert.Null(problem);
        Assert.Equal(1024, backend!.ContextTokens);
        var ws = Samples.Sample();
        var options = new DraftOptions { MaxItems = 2, MaxTitleChars = 24, MaxDescriptionChars = 40, MaxOutputTokens = 500, Temperature = 1.0 };
        var streamed = new System.Text.StringBuilder();
        var draft = await new RoadmapDrafter(Prompts, new ScenarioRunner(new CpSatScheduler()), null).DraftAsync(backend, ws, "Win larger customers", options, piece => streamed.Append(piece), Fast);

        Assert.Equal(draft.Reply, streamed.ToString());
        using var json = JsonDocument.Parse(draft.Reply); // the grammar guarantees the shape, even from random weights
        var items = json.RootElement.GetProperty("initiatives").EnumerateArray().ToList();
        Assert.InRange(items.Count, 1, 2);
        foreach (var item in items)
        {
            Assert.Contains(item.GetProperty("team").GetString(), ws.Teams.Select(t => t.Key));
            Assert.InRange(item.GetProperty("title").GetString()!.Length, 1, 24);
            Assert.InRange(item.GetProperty("weeks").GetInt32(), 1, 99);
        }
        // Every item either became an initiative or is reported.
        Assert.Equal(items.Count, draft.Items.Count + draft.Problems.Count(p => p.StartsWith("Item ", StringComparison.Ordinal)));
    }
}
