namespace Planner.Web.Api.Contracts;

/// <summary>What an import did, in words.</summary>
public sealed record ImportSummary(string Summary);
