using Planner.Engine.Model;
using static TorchSharp.torch.nn;

namespace Planner.Engine.Training;

/// <summary>What a <see cref="Trainer"/> optimises: the model, how one micro-batch's loss and gradients are computed,
/// and how the model is judged on held-out data. The loop itself — schedule, clipping, accumulation, checkpoints,
/// resume, early stopping, metrics — is the trainer's and the same for every task.</summary>
public interface ITrainingObjective
{
    /// <summary>The module whose parameters are trained and saved in checkpoints.</summary>
    Module Model { get; }

    /// <summary>The GPT-2 shape inside <see cref="Model"/>.</summary>
    GptConfig Config { get; }

    /// <summary>The checkpoint kind (<see cref="CheckpointMetadata.LanguageModel"/> or <see cref="CheckpointMetadata.Classifier"/>).</summary>
    string Kind { get; }

    /// <summary>A classifier's labels, in output order; null for a language model.</summary>
    IReadOnlyList<string>? Labels { get; }

    /// <summary>How a classifier pools its hidden states; null for a language model.</summary>
    ClassifierPooling? Pooling => null;

    /// <summary>Why a checkpoint cannot be resumed into this objective's model (its words follow "The checkpoint in
    /// PATH"), or null when it can.</summary>
    string? ResumeProblem(CheckpointMetadata saved);

    /// <summary>Forward and backward of micro-batch <paramref name="micro"/> of optimizer step <paramref name="step"/>
    /// (drawn from the seed and the step, so a resumed run sees the same batches): gradients scaled by
    /// <paramref name="scale"/>, the unscaled mean loss and the tokens it read returned.</summary>
    (double Loss, long Tokens) ForwardBackward(TrainingConfig config, long step, int micro, double scale);

    /// <summary>The model on held-out data; null when nothing is held out.</summary>
    ObjectiveEvaluation? Evaluate(TrainingConfig config);
}
