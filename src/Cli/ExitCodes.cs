namespace Planner.Cli;

public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The input was refused (bad file, unknown workspace); nothing was changed.</summary>
    public const int BadInput = 1;
    /// <summary>The command line itself was wrong.</summary>
    public const int Usage = 2;
    /// <summary>A long-running command (training) was interrupted; its last checkpoint is intact.</summary>
    public const int Cancelled = 130;
}
