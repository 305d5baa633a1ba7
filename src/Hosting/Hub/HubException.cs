namespace Planner.Hosting.Hub;

/// <summary>A hub request or download that cannot succeed for a reason the founder can act on (a wrong name, a
/// missing token, no room on the disk, a file that is not what the hub says). Nothing is placed in the models
/// folder when it is thrown; a partial download that can still be resumed is kept.</summary>
public sealed class HubException(HubProblem problem, string message, Exception? inner = null) : Exception(message, inner)
{
    public HubProblem Problem { get; } = problem;
}
