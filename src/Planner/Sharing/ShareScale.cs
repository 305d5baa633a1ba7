namespace Planner.Sharing;

/// <summary>The columns of the shared plan's chart.</summary>
public enum ShareScale
{
    Month,
    Quarter,
}
