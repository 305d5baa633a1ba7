using System.Globalization;
using Planner.Engine.Data;
using Planner.Engine.Evaluation;
using Planner.Engine.Export;
using Planner.Engine.Generation;
using Planner.Engine.Model;
using Planner.Engine.Native;
using Planner.Engine.Tokenization;
using Planner.Engine.Training;
using Planner.Telemetry;
using TorchSharp;

namespace Planner.Hosting.Training;

/// <summary>One training run from request to evaluated checkpoints, the same for every host (the Training page's queue
/// and <c>planner train</c> / <c>train-classifier</c>): the plan (<see cref="TrainingPlan"/>), the data
/// (<see cref="TrainingCorpus"/>), the model (a preset or a base model), the held-out measurement of the starting
/// weights, the Engine's <see cref="Trainer"/> with a sample generation at each language-model evaluation, and the
/// report of the best checkpoint, kept in the run's <c>report.json</c>. Runs on the calling thread; cancellation keeps
/// the last checkpoint.</summary>
public static class TrainingRun
{
    /// <summary>Held-out windows measured for the report (the same windows before and after).</summary>
    public const int ReportWindows = 32;

    private static readonly GenerationOptions SampleOptions = new() { MaxTokens = 40, Temperature = 0.8, TopK = 40, Seed = 7 };

    /// <param name="resume">Continue from the folder's latest checkpoint with its saved settings.</param>
    /// <param name="steps">With <paramref name="resume"/>: a new end for the run (train longer); null keeps the saved one.</param>
    public static TrainingOutcome Execute(TrainingRequest request, RunFolder folder, bool resume, TrainingObserver observer,
        CancellationToken ct, int? steps = null)
    {
        var saved = resume ? CheckpointStore.ReadMetadata(folder.Output.Latest) : null;
        var precision = TrainingPlan.ChoosePrecision(request, saved?.Training.Precision);
        var plan = saved is not null ? TrainingPlan.Resume(saved, steps, precision.Precision) : TrainingPlan.For(request);
        long? resumedFrom = saved?.Step;
        var device = ComputeDevice.Resolve(request.Device);
        observer = observer.WithPrecision(precision);
        using var heap = EngineNative.HoldTrainingHeap();
        return request.Task == TrainingTask.Classifier
            ? Classifier(request, folder, plan, resumedFrom, saved is null ? request.Pooling ?? TrainingDefaults.ClassifierPooling : saved.Pooling ?? ClassifierPooling.Last, device, observer, ct)
            : LanguageModel(request, folder, plan, resumedFrom, device, observer, ct);
    }

    private static TrainingOutcome LanguageModel(TrainingRequest request, RunFolder folder, TrainingPlan plan, long? resumedFrom,
        TorchSharp.torch.Device device, TrainingObserver observer, CancellationToken ct)
    {
        var corpus = TrainingCorpus.LoadDocuments(request);
        foreach (var warning in corpus.Warnings) observer.Skipped?.Invoke(warning);
        var dataset = TokenDataset.Build(corpus.Documents, plan.Model.ContextLength, plan.Training.Seed);
        using var model = new Gpt(plan.Model, plan.Training.Seed);
        var from = StartFrom(request, resumedFrom, model);
        model.to(device);
        observer.Started?.Invoke(new TrainingStart(
            dataset.Describe(),
            Describe(plan.Model, model.ParameterCount(), device, from), resumedFrom));

        // The "before" half of the report: measured at step 0, kept across a resume.
        var report = resumedFrom is not null && folder.ReadReport() is { PerplexityBefore: not null } kept ? kept : null;
        if (report is null)
        {
            var before = LanguageModelEvaluator.Evaluate(model, dataset.Validation, ReportWindows);
            report = new EvaluationReport(TrainingTask.LanguageModel, before.Tokens, dataset.ValidationDocuments)
            {
                LossBefore = before.Loss,
                PerplexityBefore = before.Perplexity,
            };
        }
        Publish(folder, observer, report);

        var prompt = Gpt2Tokenizer.Instance.Decode([.. dataset.Validation.Take(8)]);
        using var objective = new LanguageModelObjective(model, dataset);
        var result = new Trainer(plan.Training).Train(objective, folder.Directory, Progress(request, observer, p =>
        {
            if (p.ValidationLoss is not null)
                observer.Sample?.Invoke(new GenerationSample(p.Step, prompt, TextGenerator.Generate(model, prompt, SampleOptions, ct)));
        }), resumedFrom is not null, ct);

        CheckpointStore.LoadModel(folder.BestOrLatest()!.Path, model);
        var after = LanguageModelEvaluator.Evaluate(model, dataset.Validation, ReportWindows);
        report = report with { LossAfter = after.Loss, PerplexityAfter = after.Perplexity, HeldOutTokens = after.Tokens };
        Publish(folder, observer, report);
        var summary = Ended(result) + string.Create(CultureInfo.InvariantCulture,
                          $" Held-out perplexity {report.PerplexityBefore:0.#} before, {after.Perplexity:0.#} after.") +
                      (corpus.Warnings.Count > 0 ? $" Skipped: {string.Join("; ", corpus.Warnings)}" : "");
        return new TrainingOutcome(result, report, summary);
    }

    private static TrainingOutcome Classifier(TrainingRequest request, RunFolder folder, TrainingPlan plan, long? resumedFrom, ClassifierPooling pooling,
        TorchSharp.torch.Device device, TrainingObserver observer, CancellationToken ct)
    {
        var data = TrainingCorpus.LoadLabelled(request);
        var (train, validation, heldOut) = data.ThreeWaySplit(plan.Training.Seed);
        if (resumedFrom is null) plan = TrainingPlan.For(request, train.Count); // defaults from the data
        var settings = plan.DescribeClassifier(train.Count);
        string? pretrained = null;
        if (DomainPretraining.Applies(request, resumedFrom))
        {
            var skipped = DomainPretraining.Skipped(request, train.Count);
            if (skipped is null)
            {
                var leftOut = validation.Concat(heldOut).Select(e => e.Text).ToHashSet(StringComparer.Ordinal);
                (pretrained, skipped) = DomainPretraining.Run(request, plan.Model, train.Count, leftOut, folder, device, observer, ct);
            }
            settings += $". {char.ToUpperInvariant(skipped[0])}{skipped[1..]}";
        }
        using var model = new ClassificationHead(plan.Model, data.Labels.Count, plan.Training.Seed, pooling);
        var from = pretrained is not null ? LoadPretrained(pretrained, request.BaseModel, model.Transformer) : StartFrom(request, resumedFrom, model.Transformer);
        model.to(device);
        observer.Started?.Invoke(new TrainingStart(
            $"{data.Examples.Count} labelled texts ({string.Join(", ", data.Labels)}); {train.Count} for training, {validation.Count} for validation " +
            $"(choosing the checkpoint and the model evidence uses), {heldOut.Count} held out for the report. {settings}",
            Describe(plan.Model, model.Transformer.ParameterCount(), device, from) + $", pooling {ClassificationHead.Describe(pooling)}", resumedFrom));

        var objective = new ClassifierObjective(model, data.Labels, train, validation);
        var result = new Trainer(plan.Training).Train(objective, folder.Directory, Progress(request, observer, _ => { }), resumedFrom is not null, ct);

        CheckpointStore.LoadModel(folder.BestOrLatest()!.Path, model);
        ClassificationReport? classification = null;
        BaselineComparison? baseline = null;
        if (heldOut.Count > 0)
        {
            var context = plan.Model.ContextLength;
            var predictions = ClassifierEvaluator.Predict(model, [.. heldOut.Select(e => e.Text)], data.Labels, context);
            var onValidation = validation.Count == 0 ? [] : ClassifierEvaluator.Predict(model, [.. validation.Select(e => e.Text)], data.Labels, context);
            classification = ClassificationReport.Of(heldOut, predictions, data.Labels);
            baseline = BaselineComparison.Measure(train, validation, heldOut, data.Labels, onValidation, predictions, plan.Training.Seed, folder.Directory);
        }
        var report = new EvaluationReport(TrainingTask.Classifier, HeldOutDocuments: heldOut.Count) { Classification = classification, Baseline = baseline };
        Publish(folder, observer, report);
        var summary = Ended(result) + (classification is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $" Held-out accuracy {classification.Accuracy:P1}, macro-F1 {classification.MacroF1:0.###} on {classification.Examples} texts."))
            + (baseline is null ? "" : string.Create(CultureInfo.InvariantCulture,
                $" Baseline on the same texts: accuracy {baseline.Report.Accuracy:P1}, macro-F1 {baseline.Report.MacroF1:0.###}.")
                + (baseline.CombinedReport is { } both ? string.Create(CultureInfo.InvariantCulture, $" Both combined: accuracy {both.Accuracy:P1}, macro-F1 {both.MacroF1:0.###}.") : "")
                + (baseline.EncoderReport is { } encoder ? string.Create(CultureInfo.InvariantCulture, $" Pretrained encoder: accuracy {encoder.Accuracy:P1}, macro-F1 {encoder.MacroF1:0.###}.") : "")
                + $" Evidence uses {baseline.EvidenceModel}: {baseline.Reason}.");
        return new TrainingOutcome(result, report, summary);
    }

    /// <summary>Loads the request's base model into <paramref name="transformer"/> for a run from its start, and says where
    /// the weights come from.</summary>
    private static string StartFrom(TrainingRequest request, long? resumedFrom, Gpt transformer)
    {
        if (resumedFrom is { } step) return $"continuing from the checkpoint at step {step}";
        if (request.BaseModel is not { } basePath) return "from scratch";
        HuggingFaceGpt2.LoadAny(basePath, transformer);
        return $"from {basePath}";
    }

    private static string LoadPretrained(string checkpoint, string? basePath, Gpt transformer)
    {
        CheckpointModels.LoadTransformerInto(checkpoint, transformer);
        return $"from its domain-adaptive pretraining ({DomainPretraining.Folder}/)" + (basePath is null ? "" : $", which started from {basePath}");
    }

    private static string Describe(GptConfig c, long parameters, TorchSharp.torch.Device device, string from) =>
        $"{c.Describe()}, context {c.ContextLength}, {parameters:N0} parameters, on {device.type.ToString().ToLowerInvariant()}, {from}";

    private static void Publish(RunFolder folder, TrainingObserver observer, EvaluationReport report)
    {
        folder.WriteReport(report);
        observer.Report?.Invoke(report);
    }

    private static string Ended(TrainingResult result) =>
        $"Finished at step {result.Step}{(result.StoppedEarly ? $" (stopped early: validation {(result.BestMacroF1 is null ? "loss" : "macro-F1")} stopped improving)" : "")}: train loss {result.LastTrainLoss:0.###}" +
        (result.BestMacroF1 is { } f1 ? string.Create(CultureInfo.InvariantCulture, $", best validation macro-F1 {f1:0.###}.")
            : result.BestValidationLoss is { } v ? $", best validation loss {v:0.###}." : ".");

    /// <summary>Reports each step on the training thread (Progress&lt;T&gt; would post out of order), after
    /// <paramref name="atStep"/> has run while the model is still in hand.</summary>
    private static InlineProgress Progress(TrainingRequest request, TrainingObserver observer, Action<TrainingProgress> atStep) => new(p =>
    {
        if (p.StepTime > TimeSpan.Zero)
            PlannerTelemetry.TrainingStepDuration.Record(p.StepTime.TotalSeconds,
                new KeyValuePair<string, object?>(PlannerTelemetry.TrainingKindTag, request.Task.ToString()));
        atStep(p);
        observer.Step?.Invoke(p);
    });

    internal sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
