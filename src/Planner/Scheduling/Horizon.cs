namespace Planner.Scheduling;

/// <summary>The columns of a now / next / later roadmap, by computed start dates (see <see cref="Horizons"/>).</summary>
public enum Horizon
{
    Now,
    Next,
    Later,
}
