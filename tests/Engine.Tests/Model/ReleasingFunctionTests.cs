using Planner.Engine.Model;
using static TorchSharp.torch;

namespace Planner.Engine.Tests.Model;

// With the attention kernel's tests: its switch for machines without vectors is process-wide.
[Collection(nameof(FusedCausalAttentionTests))]
public class ReleasingFunctionTests
{
    /// <summary>Passes its input on and hands back no gradient for it (undefined, as libtorch allows).</summary>
    private sealed class Cut : autograd.SingleTensorFunction<Cut>
    {
        public override string Name => nameof(Cut);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            ctx.set_materialize_grads(false);
            return ((Tensor)vars[0]).clone();
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) => [null!];
    }

    [Fact]
    public void A_node_reached_by_no_gradient_hands_back_none_whether_its_output_copy_was_released_or_kept()
    {
        // The one-pass GELU releases TorchSharp's output copy at once (Record), the attention kernel keeps it (apply):
        // neither may be asked for a gradient of zeros made from it, and neither may touch the undefined gradient.
        using var scope = NewDisposeScope();
        var x = randn([2, 3, 5]).requires_grad_();
        var y = FusedGelu.Apply(x);
        (Cut.apply(y) + x.sum()).sum().backward();                                    // y's node is reached, with no gradient
        Assert.True(x.grad!.eq(30).all().item<bool>());                               // only x.sum()'s, once per output value

        FusedCausalAttention.EvenWithoutHardware = true;
        try
        {
            var qkv = randn([1, 2 * CausalAttentionKernel.TileSize, 3 * 64]).requires_grad_();
            Assert.True(FusedCausalAttention.Applies(qkv, heads: 1));
            var attention = FusedCausalAttention.Apply(qkv, heads: 1);
            (Cut.apply(attention) + qkv.sum()).sum().backward();
            Assert.True(qkv.grad!.eq(attention.numel()).all().item<bool>());
        }
        finally
        {
            FusedCausalAttention.EvenWithoutHardware = false;
        }
    }
}
