namespace Planner.Hosting.Training;

/// <summary>What the language model wrote from a held-out prompt at one evaluation step.</summary>
public sealed record GenerationSample(long Step, string Prompt, string Text);
