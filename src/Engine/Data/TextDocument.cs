namespace Planner.Engine.Data;

/// <summary>One document of a training corpus: where it came from and its text.</summary>
public sealed record TextDocument(string Source, string Text);
