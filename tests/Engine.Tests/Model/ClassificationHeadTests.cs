using Planner.Engine.Data;
using Planner.Engine.Evaluation;
using Planner.Engine.Model;
using Planner.Engine.Training;
using TorchSharp;

namespace Planner.Engine.Tests.Model;

public class ClassificationHeadTests
{
    private static readonly GptConfig Config = new(GptConfig.Gpt2VocabSize, ContextLength: 256, Layers: 1, Heads: 2, Embedding: 32);

    private static List<LabelledExample> SeparableReviews(int count, int seed)
    {
        string[] praise = ["great", "love", "excellent", "fast", "helpful", "wonderful", "reliable"];
        string[] complaints = ["broken", "slow", "awful", "crashes", "refund", "terrible", "buggy"];
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var positive = i % 2 == 0;
            var words = Enumerable.Range(0, 3 + random.Next(4)).Select(_ => (positive ? praise : complaints)[random.Next(7)]);
            return new LabelledExample("The app is " + string.Join(" and ", words), positive ? "positive" : "negative");
        })];
    }

    /// <summary>The Engine's one training loop with the classifier objective, as a host runs it.</summary>
    private static TrainingResult Train(TrainingConfig config, ClassificationHead model, IReadOnlyList<string> labels, IReadOnlyList<LabelledExample> train,
        IReadOnlyList<LabelledExample> validation, string directory, IProgress<TrainingProgress>? progress = null, bool resume = false,
        CancellationToken cancellationToken = default) =>
        new Trainer(config).Train(new ClassifierObjective(model, labels, train, validation), directory, progress, resume, cancellationToken);

    [Fact]
    public void Padding_after_the_last_token_does_not_change_the_logits()
    {
        using var model = new ClassificationHead(Config, 3, seed: 1);
        model.eval();
        using var _ = torch.no_grad();
        var (alone, aloneLengths) = ClassificationBatch.Encode(["short review"], 256);
        var (padded, paddedLengths) = ClassificationBatch.Encode(["short review", "a much longer review that forces padding on the first"], 256);
        using var a = model.forward(alone, aloneLengths);
        using var b = model.forward(padded, paddedLengths);
        Assert.True(a[0].allclose(b[0], rtol: 1e-4, atol: 1e-5));
        Assert.Equal([2L, 3], b.shape);
    }

    [Fact]
    public void Mean_pooling_averages_the_real_tokens_only_and_differs_from_the_last_token()
    {
        using var mean = new ClassificationHead(Config, 3, seed: 1, ClassifierPooling.Mean);
        using var last = new ClassificationHead(Config, 3, seed: 1, ClassifierPooling.Last);
        mean.eval();
        last.eval();
        using var _ = torch.no_grad();
        var (alone, aloneLengths) = ClassificationBatch.Encode(["short review"], 256);
        var (padded, paddedLengths) = ClassificationBatch.Encode(["short review", "a much longer review that forces padding on the first"], 256);
        using var a = mean.forward(alone, aloneLengths);
        using var b = mean.forward(padded, paddedLengths);
        Assert.True(a[0].allclose(b[0], rtol: 1e-4, atol: 1e-5), "padding must not enter the mean");
        // By hand: the score layer on the mean of the real tokens' hidden states (same seed, so the same weights).
        using var hidden = mean.Transformer.HiddenStates(alone);
        using var expected = torch.nn.functional.linear(hidden.mean([1]), mean.named_parameters().Single(p => p.name == "score.weight").parameter);
        Assert.True(a.allclose(expected, rtol: 1e-4, atol: 1e-5));
        using var c = last.forward(alone, aloneLengths);
        Assert.False(a.allclose(c, rtol: 1e-3, atol: 1e-4), "mean and last-token pooling gave the same logits");
    }

    [Fact]
    public void A_classifier_checkpoint_keeps_its_pooling_and_one_written_before_pooling_existed_loads_as_last_token()
    {
        var labels = new[] { "negative", "positive" };
        using var model = new ClassificationHead(Config, 2, seed: 3, ClassifierPooling.Mean);
        using var dir = new TempFolder();
        var config = new TrainingConfig { MaxSteps = 2, BatchSize = 4, EvaluationInterval = 2, CheckpointInterval = 2, Seed = 4 };
        Train(config, model, labels, SeparableReviews(20, seed: 1), SeparableReviews(8, seed: 2), dir.Path);
        var checkpoint = Path.Combine(dir.Path, "checkpoint");
        Assert.Equal(ClassifierPooling.Mean, CheckpointStore.ReadMetadata(checkpoint).Pooling);
        Assert.Contains("\"pooling\": \"Mean\"", File.ReadAllText(Path.Combine(checkpoint, CheckpointStore.MetadataFile)));
        using (var loaded = CheckpointModels.LoadClassifier(checkpoint).Model) Assert.Equal(ClassifierPooling.Mean, loaded.Pooling);

        var config2 = File.ReadAllText(Path.Combine(checkpoint, CheckpointStore.MetadataFile)).Replace(",\n  \"pooling\": \"Mean\"", "");
        Assert.DoesNotContain("pooling", config2);
        File.WriteAllText(Path.Combine(checkpoint, CheckpointStore.MetadataFile), config2);
        using (var old = CheckpointModels.LoadClassifier(checkpoint).Model) Assert.Equal(ClassifierPooling.Last, old.Pooling);
        using var other = new ClassificationHead(Config, 2, seed: 3, ClassifierPooling.Mean);
        Assert.Equal("pools the last token, not the mean of its tokens.",
            new ClassifierObjective(other, labels, SeparableReviews(4, 1), []).ResumeProblem(CheckpointStore.ReadMetadata(checkpoint)));
    }

    [Fact]
    public void A_classifier_whose_loss_stops_being_finite_stops_before_anything_of_that_step_is_written()
    {
        var labels = new[] { "negative", "positive" };
        using var model = new ClassificationHead(Config, 2, seed: 3);
        using var dir = new TempFolder();
        var config = new TrainingConfig { MaxSteps = 5, BatchSize = 8, LearningRate = 1e30, MinLearningRate = 1e30, WarmupSteps = 0, EvaluationInterval = 100, CheckpointInterval = 1, Seed = 4 };
        var error = Assert.Throws<TrainingDivergedException>(() =>
            Train(config, model, labels, SeparableReviews(40, seed: 1), SeparableReviews(20, seed: 2), dir.Path));
        Assert.Equal(2, error.Step);
        Assert.Contains("diverged", error.Message);
        Assert.Single(File.ReadAllLines(Path.Combine(dir.Path, "metrics.jsonl")));
        Assert.Equal(1, CheckpointStore.ReadMetadata(Path.Combine(dir.Path, "checkpoint")).Step);
    }

    [Fact]
    public void The_classifier_learns_a_separable_toy_set()
    {
        var labels = new[] { "negative", "positive" };
        var train = SeparableReviews(40, seed: 1);
        var validation = SeparableReviews(20, seed: 2);
        using var model = new ClassificationHead(Config, 2, seed: 3);
        var before = ClassifierEvaluator.Evaluate(model, validation, labels, 256);
        using var dir = new TempFolder();
        var config = new TrainingConfig { MaxSteps = 30, BatchSize = 8, LearningRate = 3e-3, MinLearningRate = 3e-4, WarmupSteps = 3, EvaluationInterval = 15, CheckpointInterval = 15, Seed = 4 };
        var result = Train(config, model, labels, train, validation, dir.Path);
        var after = ClassifierEvaluator.Evaluate(model, validation, labels, 256);
        Assert.True(after.Accuracy >= 0.95, $"accuracy {before.Accuracy} -> {after.Accuracy}");
        Assert.True(after.MacroF1 >= 0.95);
        Assert.Equal(30, result.Step);

        // The checkpoint reloads as the same classifier, labels included.
        var (loaded, metadata) = CheckpointModels.LoadClassifier(Path.Combine(dir.Path, "checkpoint"));
        using (loaded)
        {
            Assert.Equal(labels, metadata.Labels);
            Assert.Equal(after.Accuracy, ClassifierEvaluator.Evaluate(loaded, validation, labels, 256).Accuracy);
        }
    }

    [Fact]
    public void Classifier_training_resumes_exactly_after_cancellation()
    {
        var labels = new[] { "negative", "positive" };
        var train = SeparableReviews(24, seed: 5);
        var validation = SeparableReviews(6, seed: 6);
        var config = new TrainingConfig { MaxSteps = 4, BatchSize = 4, LearningRate = 3e-3, MinLearningRate = 3e-4, WarmupSteps = 1, EvaluationInterval = 2, CheckpointInterval = 2, Seed = 7 };
        using var dir = new TempFolder();

        var uninterrupted = new List<TrainingProgress>();
        using (var model = new ClassificationHead(Config, 2, seed: 8))
            Train(config, model, labels, train, validation, dir.File("a"), new Recorder(uninterrupted.Add));

        using var cancel = new CancellationTokenSource();
        using (var model = new ClassificationHead(Config, 2, seed: 8))
            Assert.Throws<OperationCanceledException>(() => Train(config, model, labels, train, validation, dir.File("b"),
                new Recorder(p => { if (p.Step == 3) cancel.Cancel(); }), cancellationToken: cancel.Token));
        var resumed = new List<TrainingProgress>();
        using (var model = new ClassificationHead(Config, 2, seed: 8))
            Train(config, model, labels, train, validation, dir.File("b"), new Recorder(resumed.Add), resume: true);

        Assert.Equal([3L, 4], resumed.Select(p => p.Step));
        Assert.Equal(uninterrupted[2].TrainLoss, resumed[0].TrainLoss, 5);
        Assert.Equal(uninterrupted[3].TrainLoss, resumed[1].TrainLoss, 5);
        Assert.Equal(uninterrupted[3].Accuracy, resumed[1].Accuracy);
        Assert.Equal(uninterrupted[3].ValidationLoss!.Value, resumed[1].ValidationLoss!.Value, 5);
    }

    [Fact]
    public void Class_weights_are_the_inverse_of_each_labels_share_and_zero_for_a_label_without_training_examples()
    {
        var train = new[] { ("a", 6), ("b", 2) }.SelectMany(p => Enumerable.Repeat(new LabelledExample("text", p.Item1), p.Item2)).ToList();
        var weights = ClassifierObjective.ClassWeights(["a", "b", "c"], train);
        Assert.Equal([8f / (2 * 6), 8f / (2 * 2), 0f], weights);
        Assert.Equal(train.Count, 6 * weights[0] + 2 * weights[1], 4); // the training examples weigh as many as there are
    }

    [Fact]
    public void A_classifier_run_chosen_by_macro_F1_keeps_its_best_macro_F1_with_the_best_checkpoint()
    {
        var labels = new[] { "negative", "positive" };
        var train = SeparableReviews(24, seed: 9).Where((e, i) => e.Label == "positive" || i % 4 == 1).ToList(); // imbalanced
        var validation = SeparableReviews(10, seed: 10);
        var config = new TrainingConfig
        {
            MaxSteps = 8, BatchSize = 4, LearningRate = 3e-3, MinLearningRate = 3e-4, WarmupSteps = 1, EvaluationInterval = 1, CheckpointInterval = 100,
            Seed = 11, SelectByMacroF1 = true, BalanceClasses = true, EarlyStoppingPatience = 0,
        };
        using var dir = new TempFolder();
        var seen = new List<TrainingProgress>();
        using var model = new ClassificationHead(Config, 2, seed: 12);
        var result = Train(config, model, labels, train, validation, dir.Path, new Recorder(seen.Add));

        var top = seen.Max(p => p.MacroF1!.Value);
        var best = seen.Where(p => p.MacroF1 == top).MinBy(p => p.ValidationLoss!.Value)!; // a tie goes to the lower loss
        var saved = CheckpointStore.ReadMetadata(Path.Combine(dir.Path, "best"));
        Assert.Equal(best.Step, saved.Step);
        Assert.Equal(top, saved.BestMacroF1);
        Assert.Equal(top, result.BestMacroF1);
        Assert.Equal(best.ValidationLoss!.Value, result.BestValidationLoss!.Value, 6);
    }

    private sealed class Recorder(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
