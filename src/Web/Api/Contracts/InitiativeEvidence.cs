using Planner.Roadmaps;

namespace Planner.Web.Api.Contracts;

/// <summary>An initiative's evidence from customer reviews (null when none), and whether its scores ignore it.</summary>
public sealed record InitiativeEvidence(string Key, string Title, Evidence? Evidence, bool Ignored);
