namespace Planner.Roadmaps;

public enum CompanyStage
{
    PreSeed,
    Seed,
    SeriesA,
    SeriesB,
    Growth,
}
