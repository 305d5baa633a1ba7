using Planner.Documents;

namespace Planner.Web.Api.Contracts;

/// <summary>A passage that matched a search, where it comes from (<see cref="Cited"/> in words) and its BM25 score.</summary>
public sealed record DocumentHit(string Text, Citation Citation, string Cited, float Score);
