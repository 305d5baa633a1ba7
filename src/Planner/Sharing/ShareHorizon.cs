namespace Planner.Sharing;

/// <summary>Where an initiative stands on the day of the share, by its computed dates: running now, starting within the
/// next quarter (<see cref="ShareReportBuilder.NextWeeks"/> weeks), or later. Done work is listed apart.</summary>
public enum ShareHorizon
{
    Now,
    Next,
    Later,
}
