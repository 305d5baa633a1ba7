using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Planner.Engine.Model;

/// <summary>
/// A custom autograd node over a tensor and one further argument (not a tensor, so without a gradient) that releases
/// what its forward pass kept as soon as its backward pass has run, and the gradient it handed back at the next backward
/// pass on the same thread. The Engine's own kernels (<see cref="FusedCausalAttention"/>, <see cref="FusedGelu"/>,
/// <see cref="Bf16Linear"/>) are recorded through it.
/// </summary>
/// <remarks>
/// TorchSharp's saved variables (<c>save_for_backward</c>) live until the whole graph is released, where libtorch's own
/// operations free theirs as soon as their backward has run: a node's tensors are kept in a holder of its own
/// (<see cref="SavedForBackward"/>) instead, emptied by backward, which lowers the step's peak. A graph released without
/// a backward pass leaves the holder to the garbage collector (evaluation runs without gradients and makes no node).
/// TorchSharp passes a returned gradient to libtorch as a copy of its handle and never disposes the handle itself; left
/// to the caller's dispose scope, each layer's gradient would stay allocated until the whole backward pass ended
/// (docs/benchmarks.md, "Causal attention in one fused kernel"). Disposing a handle only drops its reference, so the
/// previous one is disposed at the next backward: at most one per node type and thread is held beyond its use.
/// Callers run backward inside a dispose scope, as the trainers do, and once per graph (no <c>retain_graph</c>).
/// </remarks>
/// <typeparam name="TSelf">The node type (TorchSharp makes one per application).</typeparam>
/// <typeparam name="TSaved">What the forward pass keeps for backward.</typeparam>
internal abstract class ReleasingFunction<TSelf, TSaved> : SingleTensorFunction<TSelf>
    where TSelf : ReleasingFunction<TSelf, TSaved>, new()
    where TSaved : SavedForBackward
{
    /// <summary>The gradient this thread handed back last, one field per node type (a static of the closed type).</summary>
    [ThreadStatic] private static Tensor? handedBack;

    /// <summary>The node's output from its arguments, and what backward will need (tensors detached and out of every
    /// dispose scope: the holder owns them).</summary>
    protected abstract (Tensor Output, TSaved Saved) Forward(object[] vars);

    /// <summary>The input's gradient from what forward kept and the output's gradient (a defined one; where none reached
    /// the output, the node hands back none). The result is handed to libtorch; it must not be disposed by a dispose scope
    /// of the caller's (make it in none, or move it out of the one it was made in). Runs inside libtorch's backward: an
    /// exception here ends the process, so checks belong in forward.</summary>
    protected abstract Tensor Backward(TSaved saved, Tensor gradOutput);

    /// <summary>Applies the node to <paramref name="vars"/> (recorded for backward where gradients are on and a tensor
    /// among them requires them), releasing at once the uninitialised copy of the output TorchSharp makes when it records
    /// a node (kept in the current dispose scope for a gradient of zeros it might have to make; this node takes undefined
    /// gradients as they come, so none is made). Held instead, it is an output-sized block through the rest of the
    /// caller's forward pass. Whether releasing it early lowers a step's peak depends on the heap's traffic around it:
    /// for the MLP's GELU it did, for the attention kernel it measured no different, and for a float32 Linear node
    /// (tried, not adopted) higher (docs/benchmarks.md, "GELU in one pass" and "A float32 Linear node of the Engine's
    /// own, not adopted"); so the others use <c>apply</c>.</summary>
    public static Tensor Record(params object[] vars)
    {
        using var scope = NewDisposeScope();
        return apply(vars).MoveToOuterDisposeScope();
    }

    public sealed override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        ctx.set_materialize_grads(false);
        var (output, saved) = Forward(vars);
        ctx.save_data(nameof(SavedForBackward), saved);
        return output;
    }

    public sealed override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        var saved = (TSaved)ctx.get_data(nameof(SavedForBackward));
        // A second backward through the same graph would read what the first released. It cannot be reported
        // gracefully (an exception here crosses libtorch's frames and ends the process), but it says why.
        if (saved.Released) throw new InvalidOperationException($"{Name} ran backward twice through one graph; it releases what it saved after the first (no retain_graph).");
        handedBack?.Dispose();
        handedBack = null;
        try
        {
            if (grad_output.IsInvalid) return [null!, null!];                   // no gradient reached the output
            handedBack = Backward(saved, grad_output);
            return [handedBack, null!];
        }
        finally
        {
            saved.Dispose();
            grad_output.Dispose();
        }
    }
}

/// <summary>What a <see cref="ReleasingFunction{TSelf, TSaved}"/> keeps from forward for backward; disposing it
/// releases the tensors it holds (<see cref="Release"/>) and marks it released.</summary>
internal abstract record SavedForBackward : IDisposable
{
    public bool Released { get; private set; }

    /// <summary>Disposes the tensors held.</summary>
    protected abstract void Release();

    public void Dispose()
    {
        if (Released) return;
        Released = true;
        Release();
    }
}
