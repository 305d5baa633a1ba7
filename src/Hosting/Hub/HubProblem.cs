namespace Planner.Hosting.Hub;

/// <summary>Why a hub request or a download was refused; each comes with a message for the founder.</summary>
public enum HubProblem
{
    Configuration,
    InvalidName,
    NotFound,
    Unauthorized,
    Unreachable,
    ServerError,
    NoChecksum,
    NoSpace,
    ChecksumMismatch,
    SizeMismatch,
    NotAModel,
    Busy,
}
