using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Planner.Engine.Native;

/// <summary>Where a CPU tensor's values start, for the Engine's own kernels: TorchSharp 0.107 offers no data pointer,
/// so it is read through <c>Tensor.bytes</c> (contiguous tensors of at most 2 GiB; rows narrowed from a larger one start
/// at their own first value).</summary>
internal static unsafe class TensorMemory
{
    public static void* Start(Tensor tensor) => Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.bytes));
}
