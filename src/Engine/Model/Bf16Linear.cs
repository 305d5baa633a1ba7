using Planner.Engine.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Model;

/// <summary>
/// A Linear layer in bfloat16 mixed precision whose backward pass writes float32 itself, through
/// <see cref="MklBf16Product"/>: the weight's gradient is added straight into the float32 parameter's gradient, the
/// bias's too (as the product of a row of ones with the output's gradient), and the input's gradient is made in float32 where the input was float32 (the residual stream's layer-normed rows). Through
/// libtorch's operations the same step makes each in bfloat16 and widens it in a pass of its own, adds the weight's into
/// the parameter's gradient in another, and multiplies the weight's gradient, whose left side is transposed, at about
/// float32's speed (docs/benchmarks.md). The forward pass is libtorch's bfloat16 product, as before.
/// </summary>
/// <remarks>The float32 weight and bias are not inputs of the autograd node: their gradients are added here, into
/// gradients made dense where there are none yet (as the optimizer's ZeroGrad does), so several backward passes before
/// a step (a batch in pieces, gradient accumulation) add up in float32. What the forward pass keeps for backward is
/// released by backward, and each gradient handed back is released at the next
/// (<see cref="ReleasingFunction{TSelf, TSaved}"/>).</remarks>
internal static class Bf16Linear
{
    /// <summary>Whether <see cref="Apply"/> takes <paramref name="layer"/> on <paramref name="x"/>: gradients recorded
    /// for both, float32 parameters and a float32 or bfloat16 input on the CPU, and MKL's product available
    /// (<see cref="MklBf16Product.Applies"/>). Elsewhere libtorch's bfloat16 product runs (evaluation included: a pass
    /// without gradients gains nothing here).</summary>
    public static bool Applies(Tensor x, Linear layer) =>
        is_grad_enabled() && x.requires_grad && layer.weight is { requires_grad: true, dtype: ScalarType.Float32 } weight
        && (layer.bias is null || layer.bias is { requires_grad: true, dtype: ScalarType.Float32 })
        && x.device_type == TorchSharp.DeviceType.CPU && weight.device_type == TorchSharp.DeviceType.CPU
        && x.dtype is ScalarType.Float32 or ScalarType.BFloat16 && x.dim() >= 1 && x.shape[^1] == weight.shape[1]
        && Readable(x.numel() / Math.Max(1, x.shape[^1]) * Math.Max(weight.shape[0], weight.shape[1])) && Readable(weight.numel())
        && (weight.grad is null || weight.grad is { dtype: ScalarType.Float32, is_sparse: false } g && g.is_contiguous())
        && MklBf16Product.Applies;

    /// <summary>Whether a float32 tensor of this many values can be read through <c>Tensor.bytes</c> (a span: at most
    /// 2 GiB); backward must not throw, an exception there crossing libtorch's frames.</summary>
    private static bool Readable(long values) => values <= int.MaxValue / sizeof(float);

    /// <summary>x·Wᵀ + b in bfloat16 (x's shape but the last dimension, the layer's outputs), recorded for backward.</summary>
    public static Tensor Apply(Linear layer, Tensor x) => Function.apply(x, layer);

    private sealed class Function : ReleasingFunction<Function, Saved>
    {
        public override string Name => nameof(Bf16Linear);

        protected override (Tensor Output, Saved Saved) Forward(object[] vars)
        {
            var (x, layer) = ((Tensor)vars[0], (Linear)vars[1]);
            using var scope = NewDisposeScope();
            var input = x.dtype == ScalarType.BFloat16 ? x.detach() : x.to(ScalarType.BFloat16);
            var weight = layer.weight!.detach().to(ScalarType.BFloat16);
            using var bias = layer.bias?.detach().to(ScalarType.BFloat16);
            var output = F.linear(input, weight, bias);
            return (output.MoveToOuterDisposeScope(), new Saved(input.DetachFromDisposeScope(), weight.DetachFromDisposeScope(), layer, x.dtype, x.shape));
        }

        protected override Tensor Backward(Saved saved, Tensor gradOutput)
        {
            using var scope = NewDisposeScope();
            var (outputs, inputs) = (saved.Weight.shape[0], saved.Weight.shape[1]);
            var grad = (gradOutput.dtype == ScalarType.BFloat16 ? gradOutput : gradOutput.to(ScalarType.BFloat16)).reshape(-1, outputs).contiguous();
            var input = saved.Input.reshape(-1, inputs).contiguous();
            MklBf16Product.Multiply(grad, true, input, false, DenseGradient(saved.Layer.weight!), beta: 1);    // (out, in) +=
            // The bias's gradient as a product with a row of ones: libtorch's column sum of the same rows measured several
            // times slower (docs/benchmarks.md, "The bias's gradient as a product").
            if (saved.Layer.bias is { } bias)
                MklBf16Product.Multiply(ones(1, grad.shape[0], ScalarType.BFloat16), false, grad, false, DenseGradient(bias).view(1, outputs), beta: 1); // (1, out) +=
            Tensor gradInput;
            if (saved.InputType == ScalarType.Float32)
                MklBf16Product.Multiply(grad, false, saved.Weight, false, gradInput = empty([grad.shape[0], inputs], ScalarType.Float32)); // (n, in)
            else gradInput = grad.mm(saved.Weight);
            return gradInput.view(saved.InputShape).MoveToOuterDisposeScope();
        }

        /// <summary>The parameter's gradient, made dense of zeros where there is none yet (the parameter holds its own
        /// reference, as after the optimizer's ZeroGrad).</summary>
        private static Tensor DenseGradient(Parameter parameter)
        {
            if (parameter.grad is { } grad) return grad;
            using var zeros = zeros_like(parameter);
            parameter.grad = zeros;
            return parameter.grad!;
        }
    }

    private sealed record Saved(Tensor Input, Tensor Weight, Linear Layer, ScalarType InputType, long[] InputShape) : SavedForBackward
    {
        protected override void Release()
        {
            Input.Dispose();
            Weight.Dispose();
        }
    }
}
