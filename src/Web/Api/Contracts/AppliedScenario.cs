namespace Planner.Web.Api.Contracts;

/// <summary>A scenario saved as the roadmap: what it did, and the version the previous roadmap is kept as.</summary>
public sealed record AppliedScenario(string Summary, string? KeptVersion);
