namespace Planner.Insights.Labelling;

/// <summary>Who set a review's label.</summary>
public enum LabelSource
{
    Founder,
    Model,
}
