using Planner.Engine.Data;
using Planner.Engine.Model;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Evaluation;

/// <summary>Loss and perplexity of a model on a token stream, over consecutive context-length windows.</summary>
public static class LanguageModelEvaluator
{
    public static LanguageModelEvaluation Evaluate(Gpt model, int[] stream, int maxWindows = int.MaxValue)
    {
        if (stream.Length < 2) throw new ArgumentException("At least two tokens are needed to measure next-token loss.", nameof(stream));
        var device = model.parameters().First().device;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            double totalLoss = 0;
            long tokens = 0;
            foreach (var (inputs, targets) in TokenDataset.Windows(stream, model.Config.ContextLength, maxWindows))
            {
                using var scope = NewDisposeScope();
                var x = tensor(inputs, [1, inputs.Length]).to(device);
                var y = tensor(targets).to(device);
                var logits = model.forward(x);                                        // (1, T, vocab)
                var loss = F.cross_entropy(logits.view(-1, logits.shape[2]), y, reduction: nn.Reduction.Sum);
                totalLoss += loss.item<float>();
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
