using System.Text.Json;
using Planner.Engine.Evaluation;
using Planner.Engine.Model;
using Planner.Engine.Training;
using static TorchSharp.torch;

namespace Planner.Engine.Tests.Training;

/// <summary>bfloat16 mixed precision against float32: the same seed, model, corpus and steps end at the same held-out
/// loss within 1 %, and the bfloat16 run really multiplied in bfloat16.</summary>
public class MixedPrecisionTrainingTests
{
    /// <summary>Small enough that bfloat16 without hardware support still trains it in seconds.</summary>
    private static readonly GptConfig Shape = new(VocabSize: 512, ContextLength: 256, Layers: 2, Heads: 2, Embedding: 64);

    private static readonly TrainingConfig Config = new()
    {
        MaxSteps = 30, BatchSize = 2, WarmupSteps = 2, LearningRate = 3e-3, MinLearningRate = 3e-4,
        EvaluationInterval = 30, CheckpointInterval = 30, EvaluationWindows = 2, Seed = 11, EarlyStoppingPatience = 0,
    };

    private sealed class Recorder : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = [];
        public void Report(TrainingProgress value) => Reports.Add(value);
    }

    [Fact]
    public void Bfloat16_training_ends_within_one_percent_of_float32s_validation_loss_and_really_runs_in_bfloat16()
    {
        var data = TinyModels.SampleDocsIn(Shape.VocabSize);
        using var dir = new TempFolder();
        double before;
        using (var fresh = new Gpt(Shape, seed: 7))
            before = LanguageModelEvaluator.Evaluate(fresh, data.Validation, Config.EvaluationWindows).Loss;

        var runs = new Dictionary<TrainingPrecision, Recorder>();
        foreach (var precision in new[] { TrainingPrecision.Fp32, TrainingPrecision.Bf16 })
        {
            using var model = new Gpt(Shape, seed: 7);
            using var objective = new LanguageModelObjective(model, data);
            runs[precision] = new Recorder();
            new Trainer(Config with { Precision = precision }).Train(objective, dir.File(precision.ToString()), runs[precision]);
            Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype)); // float32 master weights
        }

        var (fp32, bf16) = (runs[TrainingPrecision.Fp32].Reports, runs[TrainingPrecision.Bf16].Reports);
        var (fp32Loss, bf16Loss) = (fp32[^1].ValidationLoss!.Value, bf16[^1].ValidationLoss!.Value);
        Assert.True(before - fp32Loss > 0.5, $"float32 training moved the held-out loss only from {before} to {fp32Loss}"); // the 1 % means something
        Assert.True(Math.Abs(bf16Loss - fp32Loss) <= 0.01 * fp32Loss, $"bfloat16 {bf16Loss} against float32 {fp32Loss}");
        // Not float32 under another name: bfloat16's rounding shows in every step's loss.
        Assert.All(fp32.Zip(bf16), pair => Assert.NotEqual(pair.First.TrainLoss, pair.Second.TrainLoss));

        // The checkpoint says how it was trained.
        var saved = CheckpointStore.ReadMetadata(Path.Combine(dir.File(nameof(TrainingPrecision.Bf16)), "checkpoint"));
        Assert.Equal(TrainingPrecision.Bf16, saved.Training.Precision);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File(nameof(TrainingPrecision.Bf16)), "checkpoint", CheckpointStore.MetadataFile)));
        Assert.Equal("bf16", json.RootElement.GetProperty("training").GetProperty("precision").GetString());
    }
}
