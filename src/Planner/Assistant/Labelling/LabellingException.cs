namespace Planner.Assistant.Labelling;

/// <summary>The model answered something other than one of the labels (a server that ignored the JSON schema).</summary>
public sealed class LabellingException(string message) : Exception(message);
