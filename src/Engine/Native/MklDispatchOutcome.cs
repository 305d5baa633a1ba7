namespace Planner.Engine.Native;

/// <summary>What <see cref="MklDispatch.Apply"/> did.</summary>
public enum MklDispatchOutcome
{
    /// <summary>MKL's vendor check now answers yes: its code paths for Intel processors run on this one.</summary>
    Interposed,

    /// <summary>MKL already recognises the processor (an Intel one); nothing to change.</summary>
    NotNeeded,

    /// <summary>The setting asks to keep MKL's own check.</summary>
    Kept,

    /// <summary>Not possible here (not Linux x64, no MKL in libtorch, an unexpected library layout, or another
    /// library already answering the check); nothing was changed.</summary>
    Unavailable,
}
