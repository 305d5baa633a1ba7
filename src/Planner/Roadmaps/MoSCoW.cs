namespace Planner.Roadmaps;

/// <summary>MoSCoW category: must have, should have, could have, won't have (this time).</summary>
public enum MoSCoW
{
    Must,
    Should,
    Could,
    Wont,
}
