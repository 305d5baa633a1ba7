using Planner.Engine.Data;
using Planner.Engine.Model;
using static TorchSharp.torch;

namespace Planner.Engine.Evaluation;

/// <summary>Loss and perplexity of a model on a token stream, over consecutive context-length windows.</summary>
public static class LanguageModelEvaluator
{
    /// <param name="headLoss">The loss whose logits buffer to use (a trainer passes its own, so an evaluation does not
    /// allocate another); null: one for this evaluation.</param>
    public static LanguageModelEvaluation Evaluate(Gpt model, int[] stream, int maxWindows = int.MaxValue, TiedHeadLoss? headLoss = null)
    {
        if (stream.Length < 2) throw new ArgumentException("At least two tokens are needed to measure next-token loss.", nameof(stream));
        var device = model.parameters().First().device;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            using var owned = headLoss is null ? new TiedHeadLoss() : null; // the full logits of a window are never held
            var loss = headLoss ?? owned!;
            double totalLoss = 0;
            long tokens = 0;
            foreach (var (inputs, targets) in TokenDataset.Windows(stream, model.Config.ContextLength, maxWindows))
            {
                using var scope = NewDisposeScope();
                var x = tensor(inputs, [1, inputs.Length]).to(device);
                var y = tensor(targets, [1, targets.Length]).to(device);
                totalLoss += loss.Measure(model, x, y) * targets.Length;
                tokens += targets.Length;
            }
            var mean = totalLoss / tokens;
            return new LanguageModelEvaluation(mean, Math.Exp(mean), tokens);
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
