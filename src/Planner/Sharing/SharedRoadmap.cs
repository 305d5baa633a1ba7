namespace Planner.Sharing;

/// <summary>A share written out: its bytes, their media type and a file name for them.</summary>
public sealed record SharedRoadmap(byte[] Content, string ContentType, string FileName, ShareReport Report);
