using static TorchSharp.torch;

namespace Planner.Engine.Model;

/// <summary>Keys and values of every layer for the tokens seen so far, so generation feeds one new token per step
/// instead of the whole sequence. Owns its tensors (outside any dispose scope); dispose it when done.</summary>
public sealed class KvCache(int layers) : IDisposable
{
    private readonly Tensor?[] keys = new Tensor?[layers];
    private readonly Tensor?[] values = new Tensor?[layers];

    /// <summary>Number of positions cached (the position of the next token).</summary>
    public long Length => keys[0]?.shape[2] ?? 0;

    /// <summary>Appends this step's (B, nh, T, hs) keys and values for a layer; returns the full (B, nh, past+T, hs) ones.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        var allKeys = keys[layer] is { } pastK ? cat([pastK, k], 2) : k.alias();
        var allValues = values[layer] is { } pastV ? cat([pastV, v], 2) : v.alias();
        keys[layer]?.Dispose();
        values[layer]?.Dispose();
        keys[layer] = allKeys.alias().DetachFromDisposeScope();
        values[layer] = allValues.alias().DetachFromDisposeScope();
        return (allKeys, allValues);
    }

    /// <summary>A layer's cached (B, nh, Length, hs) keys and values, as held (not copies: do not dispose them).</summary>
    internal (Tensor Keys, Tensor Values) Layer(int layer) =>
        (keys[layer] ?? throw new InvalidOperationException("The cache is empty."), values[layer]!);

    public void Dispose()
    {
        foreach (var t in keys.Concat(values)) t?.Dispose();
        Array.Clear(keys);
        Array.Clear(values);
    }
}
