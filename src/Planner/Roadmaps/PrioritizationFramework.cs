namespace Planner.Roadmaps;

/// <summary>How a workspace ranks its initiatives.</summary>
public enum PrioritizationFramework
{
    /// <summary>Reach × impact × confidence ÷ effort.</summary>
    Rice,
    /// <summary>Weighted shortest job first: cost of delay (business value + time criticality + risk reduction) ÷ job size.</summary>
    Wsjf,
    /// <summary>Must, should, could, won't — then RICE within a category.</summary>
    MoSCoW,
    /// <summary>Value ÷ effort, with the value/effort quadrant (quick win, big bet, fill-in, time sink).</summary>
    ValueEffort,
}
