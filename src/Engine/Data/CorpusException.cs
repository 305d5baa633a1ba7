namespace Planner.Engine.Data;

/// <summary>A corpus or data set the user supplied cannot be used; the message says why and what to do.</summary>
public sealed class CorpusException(string message) : Exception(message);
