namespace Planner.Web.Access;

/// <summary>A configuration the app will not serve with (e.g. exposed without a password). Program.cs prints the
/// message and exits 1 instead of a stack trace.</summary>
public sealed class StartupRefusal(string message) : InvalidOperationException(message);
