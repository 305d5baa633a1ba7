using Planner.Persistence;
using Planner.Roadmaps;

namespace Planner.Web.Services;

/// <summary>The workspace this browser tab works on (per circuit), and a signal when it changes.</summary>
public sealed class CurrentWorkspace(RoadmapStore store)
{
    public string? Name { get; private set; }

    public event Action? Changed;

    public async Task<Workspace?> LoadAsync(CancellationToken ct = default)
    {
        var workspace = await store.LoadAsync(Name, ct) ?? (Name is null ? null : await store.LoadAsync(null, ct));
        Name = workspace?.Name;
        return workspace;
    }

    public void Select(string name)
    {
        Name = name;
        Changed?.Invoke();
    }
}
