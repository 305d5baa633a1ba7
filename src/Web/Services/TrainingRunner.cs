using Planner.Engine.Data;
using Planner.Engine.Evaluation;
using Planner.Engine.Export;
using Planner.Engine.Generation;
using Planner.Engine.Model;
using Planner.Engine.Training;
using Planner.Engine.Tokenization;

namespace Planner.Web.Services;

/// <summary>Trains one job on the calling thread: a language model or a classifier, from scratch or from a base model,
/// resuming from the run's last checkpoint when the job was picked up after a restart. Measures the "before" half of
/// the evaluation report at step 0, writes a sample at each language-model evaluation, and completes the report from
/// the best checkpoint. Returns the sentence that ends the run.</summary>
internal sealed class TrainingRunner(TrainingJob job, Action<TrainingJob> changed, Action<TrainingJob> save)
{
    /// <summary>Held-out windows measured for the report (the same windows before and after).</summary>
    public const int ReportWindows = 32;

    private static readonly GenerationOptions SampleOptions = new() { MaxTokens = 40, Temperature = 0.8, TopK = 40, Seed = 7 };

    public string Run(CancellationToken ct)
    {
        var request = job.Request;
        var config = TrainingData.ModelConfig(request);
        var settings = new TrainingConfig
        {
            MaxSteps = request.Steps,
            BatchSize = request.Batch,
            LearningRate = request.LearningRate,
            MinLearningRate = request.LearningRate / 10,
            WarmupSteps = Math.Min(10, Math.Max(0, request.Steps / 10)),
            EvaluationInterval = Math.Max(1, request.Steps / 6),
            CheckpointInterval = Math.Max(1, request.Steps / 6),
            EvaluationWindows = 8,
        };
        var resume = ResumePoint();
        return request.Task == TrainingTask.Classifier
            ? RunClassifier(config, settings, resume, ct)
            : RunLanguageModel(config, settings, resume, ct);
    }

    private string RunLanguageModel(GptConfig config, TrainingConfig settings, bool resume, CancellationToken ct)
    {
        var corpus = TrainingData.LoadDocuments(job.Request);
        var dataset = TokenDataset.Build(corpus.Documents, config.ContextLength, seed: 1);
        job.DataUsed = $"{dataset.TrainDocuments} document(s), {dataset.Train.Length:N0} training tokens; {dataset.ValidationDocuments} held out ({dataset.Validation.Length:N0} tokens)";
        using var model = new Gpt(config, seed: 1);
        if (!resume && job.Request.BaseModel is { } basePath) HuggingFaceGpt2.LoadAny(basePath, model);
        if (!resume || job.EvaluationReport is null)
        {
            var before = LanguageModelEvaluator.Evaluate(model, dataset.Validation, ReportWindows);
            job.EvaluationReport = new EvaluationReport(TrainingTask.LanguageModel, before.Tokens, dataset.ValidationDocuments)
            {
                LossBefore = before.Loss,
                PerplexityBefore = before.Perplexity,
            };
        }
        save(job);
        var prompt = Gpt2Tokenizer.Instance.Decode([.. dataset.Validation.Take(8)]);
        var progress = Progress(p =>
        {
            if (p.ValidationLoss is not null)
                job.AddSample(new GenerationSample(p.Step, prompt, TextGenerator.Generate(model, prompt, SampleOptions, ct)));
        });
        var result = new LanguageModelTrainer(settings).Train(model, dataset, job.Directory, progress, resume, ct);

        CheckpointStore.LoadModel(BestOrLatest(), model);
        var after = LanguageModelEvaluator.Evaluate(model, dataset.Validation, ReportWindows);
        job.EvaluationReport = job.EvaluationReport! with { LossAfter = after.Loss, PerplexityAfter = after.Perplexity, HeldOutTokens = after.Tokens };
        return Ended(result) + string.Create(System.Globalization.CultureInfo.InvariantCulture,
                   $" Held-out perplexity {job.EvaluationReport.PerplexityBefore:0.#} before, {after.Perplexity:0.#} after.") +
               (corpus.Warnings.Count > 0 ? $" Skipped: {string.Join("; ", corpus.Warnings)}" : "");
    }

    private string RunClassifier(GptConfig config, TrainingConfig settings, bool resume, CancellationToken ct)
    {
        var data = TrainingData.LoadLabelled(job.Request);
        var (train, validation) = data.StratifiedSplit(settings.Seed);
        job.DataUsed = $"{data.Examples.Count} labelled texts ({string.Join(", ", data.Labels)}); {train.Count} for training, {validation.Count} held out";
        save(job);
        using var model = new ClassificationHead(config, data.Labels.Count, seed: 1);
        if (!resume && job.Request.BaseModel is { } basePath) HuggingFaceGpt2.LoadAny(basePath, model.Transformer);
        var result = new ClassifierTrainer(settings with { EvaluationWindows = int.MaxValue }).Train(model, data.Labels, train, validation, job.Directory, Progress(_ => { }), resume, ct);

        CheckpointStore.LoadModel(BestOrLatest(), model);
        var report = validation.Count > 0 ? ClassifierEvaluator.Evaluate(model, validation, data.Labels, config.ContextLength) : null;
        job.EvaluationReport = new EvaluationReport(TrainingTask.Classifier, HeldOutDocuments: validation.Count) { Classification = report };
        return Ended(result) + (report is null ? "" : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $" Held-out accuracy {report.Accuracy:P1}, macro-F1 {report.MacroF1:0.###} on {report.Examples} reviews."));
    }

    private string Ended(TrainingResult result) =>
        (job.ResumedFromStep is { } from ? (job.ResumedByFounder ? $"Resumed from step {from}. " : $"Continued after a restart from step {from}. ") : "") +
        $"Finished at step {result.Step}{(result.StoppedEarly ? " (stopped early: validation loss stopped improving)" : "")}: train loss {result.LastTrainLoss:0.###}" +
        (result.BestValidationLoss is { } v ? $", best validation loss {v:0.###}." : ".");

    private string BestOrLatest()
    {
        var best = Path.Combine(job.Directory, LanguageModelTrainer.BestCheckpoint);
        return CheckpointStore.Exists(best) ? best : Path.Combine(job.Directory, LanguageModelTrainer.LatestCheckpoint);
    }

    /// <summary>Records each step on the job (on the training thread: Progress&lt;T&gt; would post out of order), runs
    /// <paramref name="atStep"/> while the model is still in hand, and saves the state at each evaluation.</summary>
    private InlineProgress Progress(Action<TrainingProgress> atStep) => new(p =>
    {
        if (p.StepTime > TimeSpan.Zero)
            Planner.Telemetry.PlannerTelemetry.TrainingStepDuration.Record(p.StepTime.TotalSeconds,
                new KeyValuePair<string, object?>(Planner.Telemetry.PlannerTelemetry.TrainingKindTag, job.Request.Task.ToString()));
        atStep(p);
        job.Report(p);
        if (p.ValidationLoss is not null) save(job); // keeps the duration close to the truth if the app dies
        changed(job);
    });

    /// <summary>For a job picked up after a restart, or resumed, with a checkpoint on disk: true, after loading the steps already
    /// logged up to that checkpoint so the curve shows the whole run.</summary>
    private bool ResumePoint()
    {
        var latest = Path.Combine(job.Directory, LanguageModelTrainer.LatestCheckpoint);
        if (!job.Resumed || !CheckpointStore.Exists(latest)) return false;
        var step = CheckpointStore.ReadMetadata(latest).Step;
        job.ResumedFromStep = step;
        job.Preload(RunMetrics.Read(Path.Combine(job.Directory, LanguageModelTrainer.MetricsFile), job.Request.Steps, upToStep: step));
        return true;
    }

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
