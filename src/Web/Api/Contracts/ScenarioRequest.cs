namespace Planner.Web.Api.Contracts;

/// <summary>One to eight changes in the scenario language, e.g. <c>capacity be -2 from 2027-04-05</c>, <c>delay i5 4</c>.</summary>
public sealed record ScenarioRequest(IReadOnlyList<string> Changes);
