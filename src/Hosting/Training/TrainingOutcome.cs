using Planner.Engine.Training;

namespace Planner.Hosting.Training;

/// <summary>How a run ended: the Engine's result, the evaluation report (also in the run's report.json) and one
/// paragraph saying it for the founder.</summary>
public sealed record TrainingOutcome(TrainingResult Result, EvaluationReport Report, string Summary);
