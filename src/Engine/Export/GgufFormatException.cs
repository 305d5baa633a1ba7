namespace Planner.Engine.Export;

/// <summary>A file is not a usable GGUF (wrong magic, unsupported version, truncated, inconsistent header).</summary>
public sealed class GgufFormatException(string message) : Exception(message);
