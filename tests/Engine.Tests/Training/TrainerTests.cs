using System.Text.Json;
using Planner.Engine.Model;
using Planner.Engine.Training;

namespace Planner.Engine.Tests.Training;

/// <summary>The training loop with the language-model objective (the classifier objective: ClassificationHeadTests).</summary>
public class TrainerTests
{
    private static readonly TrainingConfig Config = new()
    {
        MaxSteps = 6, BatchSize = 2, GradientAccumulationSteps = 2, WarmupSteps = 2, LearningRate = 3e-3, MinLearningRate = 3e-4,
        EvaluationInterval = 3, CheckpointInterval = 3, EvaluationWindows = 2, Seed = 11,
    };

    /// <summary>An IProgress that runs on the training thread (Progress&lt;T&gt; would post asynchronously).</summary>
    private sealed class Recorder(Action<TrainingProgress>? onReport = null) : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = [];
        public void Report(TrainingProgress value) { Reports.Add(value); onReport?.Invoke(value); }
    }

    /// <summary>The Engine's one training loop with the language-model objective, as a host runs it.</summary>
    private static TrainingResult Train(TrainingConfig config, Gpt model, Planner.Engine.Data.TokenDataset data, string directory,
        IProgress<TrainingProgress>? progress = null, bool resume = false, CheckpointStore? store = null, CancellationToken cancellationToken = default)
    {
        using var objective = new LanguageModelObjective(model, data);
        return new Trainer(config, store).Train(objective, directory, progress, resume, cancellationToken);
    }

    // A private init generator: tests running in parallel share torch's global one.
    private static Gpt NewModel() => new(TinyModels.Gpt2Vocabulary, seed: 7);

    [Fact]
    public void Resume_continues_exactly_like_an_uninterrupted_run_and_cancellation_keeps_the_last_checkpoint()
    {
        var data = TinyModels.SampleDocs();
        using var dir = new TempFolder();

        var uninterrupted = new Recorder();
        using (var model = NewModel())
            Train(Config, model, data, dir.File("a"), uninterrupted);

        // Cancel during step 5: the step-3 checkpoint is the last good one.
        using var cancel = new CancellationTokenSource();
        var interrupted = new Recorder(r => { if (r.Step == 4) cancel.Cancel(); });
        using (var model = NewModel())
            Assert.Throws<OperationCanceledException>(() => Train(Config, model, data, dir.File("b"), interrupted, cancellationToken: cancel.Token));
        Assert.Equal(3, CheckpointStore.ReadMetadata(Path.Combine(dir.File("b"), "checkpoint")).Step);

        var resumed = new Recorder();
        using (var model = NewModel())
            Train(Config, model, data, dir.File("b"), resumed, resume: true);

        Assert.Equal([4L, 5, 6], resumed.Reports.Select(r => r.Step));
        var expected = uninterrupted.Reports.Skip(3).ToList();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i].TrainLoss, resumed.Reports[i].TrainLoss, 5);
            Assert.Equal(expected[i].LearningRate, resumed.Reports[i].LearningRate, 12);
        }
        Assert.Equal(expected[2].ValidationLoss!.Value, resumed.Reports[2].ValidationLoss!.Value, 5);
        Assert.True(uninterrupted.Reports[^1].TrainLoss < uninterrupted.Reports[0].TrainLoss);

        // The metrics log reads like one run: steps 1..6 once each, validation loss on evaluation steps.
        var lines = File.ReadAllLines(Path.Combine(dir.File("b"), "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1L, 2, 3, 4, 5, 6], lines.Select(l => l.GetProperty("step").GetInt64()));
        Assert.True(lines[2].TryGetProperty("valLoss", out _));
        Assert.False(lines[1].TryGetProperty("valLoss", out _));
        Assert.True(lines[0].GetProperty("tokensPerSecond").GetDouble() > 0);
    }

    [Fact]
    public void Each_step_is_clipped_AdamW_on_its_batches_gradients_as_a_plain_loop_takes_it()
    {
        // Clipping on at every step (a small limit), two micro-batches a step: the trainer's norm and the
        // clipping scale applied inside the step give the parameters a plain loop gives with torch's clip_grad_norm_
        // and an unscaled step.
        var config = Config with { MaxSteps = 3, GradientClip = 0.05, EvaluationInterval = 100, CheckpointInterval = 100 };
        var data = TinyModels.SampleDocs();
        using var dir = new TempFolder();
        using var trained = NewModel();
        var recorder = new Recorder();
        Train(config, trained, data, dir.File("run"), recorder);

        using var plain = NewModel();
        using var optimizer = new AdamWOptimizer(plain.named_parameters(), config.Beta1, config.Beta2, config.Epsilon, config.WeightDecay);
        using var headLoss = new TiedHeadLoss();
        plain.train();
        for (var step = 0; step < config.MaxSteps; step++)
        {
            optimizer.ZeroGrad();
            for (var micro = 0; micro < config.GradientAccumulationSteps; micro++)
            {
                var (x, y) = data.TrainingBatch(config.BatchSize, plain.Config.ContextLength, config.Seed, step, micro);
                headLoss.ForwardBackward(plain, x, y, 1.0 / config.GradientAccumulationSteps);
            }
            var norm = TorchSharp.torch.nn.utils.clip_grad_norm_(optimizer.Parameters, config.GradientClip);
            Assert.True(norm > config.GradientClip, $"step {step + 1}: clipping is on (norm {norm})");
            Assert.Equal(norm, recorder.Reports[step].GradientNorm, norm * 1e-4);     // torch adds the norms up in float32, the trainer in double
            optimizer.Step(LearningRateSchedule.At(step, config));
        }
        var theirs = plain.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, ours) in trained.named_parameters())
            Assert.True(ours.allclose(theirs[name], rtol: 1e-5, atol: 1e-5), $"{name}: max diff {(ours - theirs[name]).abs().max().item<float>()}");
    }

    [Fact]
    public void A_disk_that_fills_up_stops_the_run_saying_which_whole_checkpoint_to_resume_from()
    {
        var data = TinyModels.SampleDocs();
        using var dir = new TempFolder();
        var full = false;
        var store = new CheckpointStore(path => full ? throw new IOException("No space left on device") : File.Create(path));
        var recorder = new Recorder(r => full |= r.Step == 4); // the disk fills up after the step-3 checkpoint

        TrainingStoppedException error;
        using (var model = NewModel())
            error = Assert.Throws<TrainingStoppedException>(() => Train(Config, model, data, dir.Path, recorder, store: store));

        var latest = Path.Combine(dir.Path, "checkpoint");
        Assert.Equal((6L, 3L), (error.Step, error.LastCheckpointStep));
        Assert.Equal($"Training stopped at step 6: No space left on device. The checkpoint from step 3 ({latest}) is whole: " +
                     "free some disk space, then resume the run from it.", error.Message);
        Assert.Equal(3, CheckpointStore.ReadMetadata(latest).Step);
        Assert.Equal(["best", "checkpoint"], Directory.GetDirectories(dir.Path).Select(Path.GetFileName).Order()); // no partial save left

        // Space freed: resuming finishes the run from that checkpoint.
        var resumed = new Recorder();
        using (var model = NewModel())
            Train(Config, model, data, dir.Path, resumed, resume: true);
        Assert.Equal([4L, 5, 6], resumed.Reports.Select(r => r.Step));
    }

    [Fact]
    public void Resuming_with_a_model_of_another_shape_is_refused()
    {
        var data = TinyModels.SampleDocs();
        using var dir = new TempFolder();
        using (var model = NewModel())
            Train(Config with { MaxSteps = 1 }, model, data, dir.Path);
        using var wider = new Gpt(TinyModels.Gpt2Vocabulary with { Embedding = 64 });
        var error = Assert.Throws<CheckpointException>(() => Train(Config, wider, data, dir.Path, resume: true));
        Assert.Contains("32-wide", error.Message);
    }

    [Fact]
    public void Training_stops_early_when_validation_loss_stops_improving()
    {
        var data = TinyModels.SampleDocs();
        using var dir = new TempFolder();
        // A learning rate far too high makes validation loss worse after the first evaluation.
        var diverging = Config with { MaxSteps = 20, WarmupSteps = 0, LearningRate = 2.0, MinLearningRate = 2.0, GradientClip = 0, EvaluationInterval = 1, CheckpointInterval = 100, EarlyStoppingPatience = 2 };
        var recorder = new Recorder();
        using var model = NewModel();
        var result = Train(diverging, model, data, dir.Path, recorder);
        Assert.True(result.StoppedEarly);
        Assert.True(result.Step < 20);
        var losses = recorder.Reports.Select(r => r.ValidationLoss!.Value).ToList();
        Assert.Equal(losses.Min(), result.BestValidationLoss!.Value, 10);
        Assert.True(losses.Skip(losses.IndexOf(losses.Min()) + 1).All(l => l >= losses.Min()));
        var saved = CheckpointStore.ReadMetadata(Path.Combine(dir.Path, "checkpoint"));
        Assert.Equal(result.Step, saved.Step);                                          // a checkpoint is written when stopping
        Assert.Equal(losses.IndexOf(losses.Min()) + 1, CheckpointStore.ReadMetadata(Path.Combine(dir.Path, "best")).Step);
    }

    /// <summary>A real one-weight model trained on its square, whose evaluations report the scripted (loss, macro-F1)
    /// pairs in turn: the trainer's choice of the best checkpoint, and when it stops, under exact control.</summary>
    private sealed class ScriptedEvaluations((double Loss, double MacroF1)[] script) : ITrainingObjective, IDisposable
    {
        private readonly TorchSharp.Modules.Linear model = TorchSharp.torch.nn.Linear(1, 1);
        private int next;
        public TorchSharp.torch.nn.Module Model => model;
        public GptConfig Config => TinyModels.Gpt2Vocabulary;
        public string Kind => CheckpointMetadata.Classifier;
        public IReadOnlyList<string>? Labels => ["a", "b"];
        public string? ResumeProblem(CheckpointMetadata saved) => null;

        public (double Loss, long Tokens) ForwardBackward(TrainingConfig config, long step, int micro, double scale)
        {
            var loss = model.weight!.square().sum();
            loss.backward();
            return (loss.item<float>(), 1);
        }

        public ObjectiveEvaluation? Evaluate(TrainingConfig config)
        {
            var (loss, f1) = script[next++];
            return new ObjectiveEvaluation(loss, Accuracy: f1, MacroF1: f1);
        }

        public void Dispose() => model.Dispose();
    }

    private static readonly TrainingConfig EveryStep = Config with { GradientAccumulationSteps = 1, EvaluationInterval = 1, CheckpointInterval = 100, SelectByMacroF1 = true };

    [Fact]
    public void Chosen_by_macro_F1_the_best_checkpoint_is_the_highest_macro_F1_with_ties_going_to_the_lower_loss()
    {
        // The lowest loss is at step 3; the highest macro-F1 at steps 4, 5 and 6, of which step 6 has the lowest loss.
        using var objective = new ScriptedEvaluations([(1.0, 0.40), (0.8, 0.50), (0.7, 0.45), (0.9, 0.60), (1.2, 0.60), (0.85, 0.60), (1.5, 0.55)]);
        using var dir = new TempFolder();
        var result = new Trainer(EveryStep with { MaxSteps = 7, EarlyStoppingPatience = 0 }).Train(objective, dir.Path);
        var best = CheckpointStore.ReadMetadata(Path.Combine(dir.Path, "best"));
        Assert.Equal((6L, 0.60, 0.85), (best.Step, best.BestMacroF1!.Value, best.BestValidationLoss!.Value));
        Assert.Equal((0.60, 0.85), (result.BestMacroF1!.Value, result.BestValidationLoss!.Value));

        // By loss (the default), the same evaluations keep step 3.
        using var byLoss = new ScriptedEvaluations([(1.0, 0.40), (0.8, 0.50), (0.7, 0.45), (0.9, 0.60), (1.2, 0.60), (0.85, 0.60), (1.5, 0.55)]);
        new Trainer(EveryStep with { MaxSteps = 7, EarlyStoppingPatience = 0, SelectByMacroF1 = false }).Train(byLoss, dir.File("loss"));
        Assert.Equal(3L, CheckpointStore.ReadMetadata(Path.Combine(dir.File("loss"), "best")).Step);
    }

    [Fact]
    public void Chosen_by_macro_F1_a_run_stops_when_macro_F1_stops_improving_even_while_the_loss_still_falls()
    {
        using var objective = new ScriptedEvaluations([(1.0, 0.50), (0.9, 0.60), (0.8, 0.55), (0.7, 0.58), (0.6, 0.70), (0.5, 0.70)]);
        using var dir = new TempFolder();
        var result = new Trainer(EveryStep with { MaxSteps = 6, EarlyStoppingPatience = 2 }).Train(objective, dir.Path);
        Assert.True(result.StoppedEarly);
        Assert.Equal(4L, result.Step); // steps 3 and 4 did not beat step 2's 0.60
        Assert.Equal(2L, CheckpointStore.ReadMetadata(Path.Combine(dir.Path, "best")).Step);
    }

    /// <summary>A learning rate of 10^30 (with clipping, AdamW moves every weight by about the learning rate): the first
    /// step's loss and gradients are finite, its update makes the weights huge, and the next forward overflows.</summary>
    private static readonly TrainingConfig Exploding = Config with
    {
        MaxSteps = 5, GradientAccumulationSteps = 1, WarmupSteps = 0, LearningRate = 1e30, MinLearningRate = 1e30,
    };

    [Fact]
    public void A_loss_that_stops_being_finite_stops_the_run_before_anything_of_that_step_is_written()
    {
        var data = TinyModels.SampleDocs();
        using var dir = new TempFolder();
        using var model = NewModel();
        var recorder = new Recorder();
        var error = Assert.Throws<TrainingDivergedException>(() =>
            Train(Exploding with { EvaluationInterval = 100, CheckpointInterval = 1 }, model, data, dir.Path, recorder));

        Assert.Equal(2, error.Step);
        Assert.StartsWith("Training stopped at step 2: the ", error.Message);
        Assert.Contains("diverged", error.Message);
        Assert.Contains("learning rate (1E+30 at that step)", error.Message);
        Assert.Contains("Start again with a lower learning rate", error.Message);
        // Step 1 was whole and is kept; nothing of step 2 reached the metrics or a checkpoint.
        Assert.Single(recorder.Reports);
        var lines = File.ReadAllLines(Path.Combine(dir.Path, "metrics.jsonl"));
        Assert.Single(lines);
        Assert.True(double.IsFinite(JsonDocument.Parse(lines[0]).RootElement.GetProperty("trainLoss").GetDouble()));
        Assert.Equal(1, CheckpointStore.ReadMetadata(Path.Combine(dir.Path, "checkpoint")).Step);
    }

    [Fact]
    public void A_validation_loss_that_stops_being_finite_stops_the_run_before_the_best_checkpoint_takes_it()
    {
        var data = TinyModels.SampleDocs();
        using var dir = new TempFolder();
        using var model = NewModel();
        var error = Assert.Throws<TrainingDivergedException>(() =>
            Train(Exploding with { EvaluationInterval = 1, CheckpointInterval = 1 }, model, data, dir.Path));

        Assert.Equal(1, error.Step);
        Assert.StartsWith("Training stopped at step 1: the validation loss is ", error.Message);
        Assert.False(CheckpointStore.Exists(Path.Combine(dir.Path, "best")));
        Assert.False(CheckpointStore.Exists(Path.Combine(dir.Path, "checkpoint")));
        Assert.Empty(File.ReadAllLines(Path.Combine(dir.Path, "metrics.jsonl")));
    }
}
