namespace Planner.Cli.Commands;

/// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; posts to the thread pool and can reorder lines).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
