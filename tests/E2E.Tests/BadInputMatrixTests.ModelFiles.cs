namespace Planner.E2E.Tests;

public sealed partial class BadInputMatrixTests
{
    /// <summary>Hostile model files given to the CLI.</summary>
    private static readonly Dictionary<string, CliCase> ModelFileCases = new()
    {
    };
}
