namespace Planner.Prioritization;

/// <summary>One initiative on the value/effort chart.</summary>
public sealed record ValueEffortPoint(string Key, string Title, double Value, double Effort, string Quadrant);
