namespace Planner.Web.Api.Contracts;

/// <summary>A workspace in a list: its name (the key in every address), company, plan start and sizes.</summary>
public sealed record WorkspaceSummary(string Name, string Company, DateOnly PlanningStart, int Initiatives, int Teams);
