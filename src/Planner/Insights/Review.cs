namespace Planner.Insights;

/// <summary>One customer review as read from a reviews file. <see cref="Id"/> is the file's id column, or "row N".</summary>
public sealed record Review(string Id, string Text, string Source = "", string Customer = "", DateOnly? Date = null, int? Rating = null);
