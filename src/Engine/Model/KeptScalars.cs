using TorchSharp;

namespace Planner.Engine.Model;

/// <summary>Scalars that live as long as the process. TorchSharp 0.107's <see cref="Scalar"/> holds a raw native
/// handle and frees it in a finalizer; a scalar made for one call — an operator's alpha (<c>a + b</c> is
/// <c>a.add(b, 1)</c>), <c>add_(s)</c>'s own alpha, a literal converted implicitly — is referenced by nothing once its
/// handle is passed on, so the collector may free it while libtorch still reads it, which ends the step in "Expected
/// false to be true" from c10's Scalar. The model's and optimizer's paths pass these, or scalars held in a
/// <c>using</c> for the length of the call; <c>FinalizerRaceTests</c> runs them against a collector that never stops.</summary>
internal static class KeptScalars
{
    public static readonly Scalar One = 1;
}
