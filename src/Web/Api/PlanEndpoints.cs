using Planner.Assistant.Chat;
using Planner.Persistence;
using Planner.Prioritization;
using Planner.Scenarios;
using Planner.Scheduling;
using Planner.Web.Api.Contracts;

namespace Planner.Web.Api;

/// <summary>What the planner computes for a workspace: the schedule, what-if scenarios (run on a copy; applied only
/// onto the roadmap they were computed from), priorities with their breakdowns, and evidence.</summary>
public static class PlanEndpoints
{
    public static void MapPlanEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/workspaces/{workspace}").WithTags("Planning");

        group.MapGet("/schedule", async (string workspace, HttpContext context, RoadmapStore store, IScheduler scheduler, CancellationToken ct) =>
        {
            var (ws, problem) = await ApiResults.LoadAsync(context.User, store, workspace, ct);
            if (problem is not null) return problem;
            ApiResults.SetTag(context, RoadmapStore.Fingerprint(ws!));
            return Results.Ok(PlanFacts.Schedule(ws!, scheduler, ct));
        }).WithName("GetSchedule").WithSummary("The schedule computed now under team capacity and dependencies, with its status, lower bound and gap.")
            .Produces<ScheduleView>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/scenarios", async (string workspace, ScenarioRequest body, HttpContext context, RoadmapStore store, ScenarioRunner runner, CancellationToken ct) =>
        {
            var (ws, problem) = await ApiResults.LoadAsync(context.User, store, workspace, ct);
            if (problem is not null) return problem;
            var (changes, error) = PlanFacts.ParseChanges(ws!, body.Changes);
            if (error is not null) return ApiResults.Invalid("The scenario cannot be run", [(null, "changes", error)]);
            var result = runner.Run(ws!, changes!, SchedulerOptions.Default, ct);
            if (!result.Ok) return ApiResults.Invalid("The scenario cannot be computed", result.Problems);
            // The roadmap it was computed from: send it back in If-Match to apply the scenario to exactly that roadmap.
            ApiResults.SetTag(context, RoadmapStore.Fingerprint(ws!));
            return Results.Ok(ScenarioCard.From(body.Changes, result));
        }).WithName("RunScenario").WithSummary("Computes a what-if on a copy of the roadmap; nothing is saved. The ETag names the roadmap it was computed from.")
            .Produces<ScenarioCard>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/scenarios/apply", async (string workspace, ScenarioRequest body, HttpContext context, RoadmapStore store, ScenarioRunner runner, CancellationToken ct) =>
        {
            var (ws, problem) = await ApiResults.LoadAsync(context.User, store, workspace, ct);
            if (problem is not null) return problem;
            if (ApiResults.IfMatch(context.Request) is not { } basedOn) return ApiResults.IfMatchRequired("roadmap (from GET the roadmap, the schedule or a scenario run)");
            if (RoadmapStore.Fingerprint(ws!) != basedOn) return ApiResults.Stale("The roadmap changed after you read it; nothing was saved. Run the scenario again.");
            var (changes, error) = PlanFacts.ParseChanges(ws!, body.Changes);
            if (error is not null) return ApiResults.Invalid("The scenario cannot be applied", [(null, "changes", error)]);
            var result = runner.Run(ws!, changes!, SchedulerOptions.Default, ct);
            if (!result.Ok) return ApiResults.Invalid("The scenario cannot be applied", result.Problems);
            var outcome = await store.ReplaceRoadmapAsync(result.Scenario, "scenario from the API: " + string.Join(", ", changes!.Select(c => c.Describe())), basedOn, ct);
            if (!outcome.Ok) return ApiResults.Stale(outcome.Conflict!);
            var saved = await store.LoadAsync(workspace, ct);
            ApiResults.SetTag(context, RoadmapStore.Fingerprint(saved!));
            return Results.Ok(new AppliedScenario(result.Summary, outcome.KeptVersion));
        }).WithName("ApplyScenario").WithSummary("Saves a scenario as the roadmap; If-Match must name the roadmap it was computed from. The previous roadmap is kept as a version.")
            .Produces<AppliedScenario>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/priorities", async (string workspace, HttpContext context, RoadmapStore store, CancellationToken ct) =>
        {
            var (ws, problem) = await ApiResults.LoadAsync(context.User, store, workspace, ct);
            return problem ?? Results.Ok(Prioritizer.Rank(ws!));
        }).WithName("GetPriorities").WithSummary("Initiatives ranked under the workspace's framework, each score with its breakdown and missing inputs.")
            .Produces<IReadOnlyList<InitiativeScore>>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/evidence", async (string workspace, HttpContext context, RoadmapStore store, CancellationToken ct) =>
        {
            var (ws, problem) = await ApiResults.LoadAsync(context.User, store, workspace, ct);
            return problem ?? Results.Ok(PlanFacts.Evidence(ws!));
        }).WithName("GetEvidence").WithSummary("Each initiative's evidence from customer reviews: counts, shares, suggested reach and confidence, quotes.")
            .Produces<IReadOnlyList<InitiativeEvidence>>().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
