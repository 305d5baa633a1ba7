namespace Planner.Roadmaps;

public enum InitiativeStatus
{
    Idea,
    Planned,
    InProgress,
    Done,
    Dropped,
}
