using Planner.Engine.Data;
using Planner.Engine.Model;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Training;

/// <summary>One text and the embedding a pretrained sentence encoder gave it (the teacher's vector).</summary>
public sealed record TaughtText(string Text, float[] Embedding);

/// <summary>Distillation of a pretrained sentence encoder into GPT-2 (<see cref="SentenceStudent"/>): each batch's loss
/// is the mean cosine distance, 1 − cos(student, teacher), between the student's embedding of a text and the encoder's;
/// each evaluation measures it on every validation text. Only the direction of the teacher's vector is taught, so
/// encoders that normalise their output and those that do not are taught alike.</summary>
public sealed class EncoderDistillationObjective : ITrainingObjective
{
    private const int EvaluationBatch = 32;

    private readonly SentenceStudent model;
    private readonly IReadOnlyList<TaughtText> train;
    private readonly IReadOnlyList<TaughtText> validation;

    public EncoderDistillationObjective(SentenceStudent model, IReadOnlyList<TaughtText> train, IReadOnlyList<TaughtText> validation)
    {
        if (train.Count == 0) throw new CorpusException("There are no texts to distil the encoder on.");
        if (train.Concat(validation).FirstOrDefault(t => t.Embedding.Length != model.Dimensions) is { } wrong)
            throw new ArgumentException($"An embedding has {wrong.Embedding.Length} dimensions; the student makes {model.Dimensions}.", nameof(train));
        (this.model, this.train, this.validation) = (model, train, validation);
    }

    public nn.Module Model => model;
    public GptConfig Config => model.Transformer.Config;
    public string Kind => CheckpointMetadata.SentenceStudent;
    public IReadOnlyList<string>? Labels => null;

    public string? ResumeProblem(CheckpointMetadata saved) =>
        saved.Kind != Kind || saved.Model != Config ? "is not a sentence-encoder student of this shape." : null;

    public (double Loss, long Tokens) ForwardBackward(TrainingConfig config, long step, int micro, double scale)
    {
        var device = model.Transformer.TiedHeadWeight.device;
        var random = DeterministicRandom.For(config.Seed, step, micro);
        var batch = Enumerable.Range(0, config.BatchSize).Select(_ => train[random.Next(train.Count)]).ToList();
        var (loss, tokens) = Loss(batch, device);
        using Scalar kept = scale; // alive until after the call (see KeptScalars)
        loss.mul(kept).backward();
        return (loss.item<float>(), tokens);
    }

    public ObjectiveEvaluation? Evaluate(TrainingConfig config)
    {
        if (validation.Count == 0) return null;
        var device = model.Transformer.TiedHeadWeight.device;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            double sum = 0;
            foreach (var chunk in validation.Chunk(EvaluationBatch))
            {
                using var scope = NewDisposeScope();
                sum += Loss(chunk, device).Loss.item<float>() * chunk.Length;
            }
            return new ObjectiveEvaluation(sum / validation.Count);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>The mean cosine distance over <paramref name="batch"/> (a scalar tensor) and the tokens read.</summary>
    private (Tensor Loss, long Tokens) Loss(IReadOnlyList<TaughtText> batch, Device device)
    {
        var (x, lengths) = ClassificationBatch.Encode(batch.Select(t => t.Text), Config.ContextLength);
        var target = tensor(batch.SelectMany(t => t.Embedding).ToArray(), [batch.Count, model.Dimensions]).to(device);
        var student = model.forward(x.to(device), lengths.to(device)).to(ScalarType.Float32);
        var loss = F.cosine_similarity(student, target, dim: 1).mean().neg().add(KeptScalars.One);
        return (loss, lengths.sum().item<long>());
    }
}
