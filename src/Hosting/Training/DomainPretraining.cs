using System.Globalization;
using Planner.Engine.Data;
using Planner.Engine.Export;
using Planner.Engine.Model;
using Planner.Engine.Training;
using TorchSharp;

namespace Planner.Hosting.Training;

/// <summary>Domain-adaptive pretraining: before a classifier with little labelled data trains, the same GPT-2 shape —
/// from scratch, or from the base model's weights when the run starts from one — continues language-model training on the texts at hand — every review text of the file except the validation and held-out ones
/// (unlabelled rows too) and the workspace documents — in the run's <c>domain/</c> folder; the classifier then starts
/// from its best checkpoint. Validation and held-out reviews stay unseen, so the choices made on the one and the figures measured on the other remain honest.</summary>
public static class DomainPretraining
{
    /// <summary>The language-model run's folder inside the classifier's run folder.</summary>
    public const string Folder = "domain";

    /// <summary>Why a run that <see cref="Applies"/> does not pretrain (in words), or null when it does.</summary>
    public static string? Skipped(TrainingRequest request, int trainingExamples) =>
        !request.DomainPretraining ? "domain-adaptive pretraining was turned off"
        : trainingExamples >= TrainingDefaults.DomainPretrainingBelow
            ? $"no domain-adaptive pretraining: {trainingExamples:N0} labelled training examples (it runs below {TrainingDefaults.DomainPretrainingBelow:N0})"
            : null;

    /// <summary>Whether the request asks for pretraining at all: a classifier from its start (with a base model or without).</summary>
    public static bool Applies(TrainingRequest request, long? resumedFrom) =>
        request.Task == TrainingTask.Classifier && resumedFrom is null;

    /// <summary>The file a document came from: a CSV row's source is FILE#rowN.</summary>
    private static string FileOf(TextDocument document)
    {
        var row = document.Source.LastIndexOf("#row", StringComparison.Ordinal);
        return row > 0 && document.Source[(row + 4)..] is { Length: > 0 } n && n.All(char.IsAsciiDigit) ? document.Source[..row] : document.Source;
    }

    private static string ReviewsFile(TrainingRequest request) => request.Files.Count > 0 ? request.Files[0] : request.CorpusDirectory;

    /// <summary>Runs the language-model training and returns its best checkpoint with what it did in words, or null
    /// checkpoint and the reason when the texts are too short to train on.</summary>
    public static (string? Checkpoint, string Description) Run(TrainingRequest request, GptConfig shape, int trainingExamples,
        IReadOnlyCollection<string> leftOut, RunFolder folder, TorchSharp.torch.Device device, TrainingObserver observer, CancellationToken ct)
    {
        var seed = request.SeedOrDefault;
        var reviews = TrainingCorpus.ReadLabelled(ReviewsFile(request), request.TextColumn,
                request.LabelColumn, requireLabels: false).Examples
            .Where(e => !leftOut.Contains(e.Text))
            .Select((e, i) => new TextDocument($"review {i + 1}", e.Text)).ToList();
        var documents = new List<TextDocument>();
        if (request.DomainDocuments is { } path && (File.Exists(path) || Directory.Exists(path)))
        {
            var load = TrainingCorpus.Load(path);
            foreach (var warning in load.Warnings) observer.Skipped?.Invoke(warning);
            // The reviews file may sit among the documents: its rows are read above, the validation and held-out ones left out.
            var reviewsFile = Path.GetFullPath(ReviewsFile(request));
            documents.AddRange(load.Documents.Where(d => !Path.GetFullPath(FileOf(d)).Equals(reviewsFile, StringComparison.Ordinal)));
        }
        TokenDataset dataset;
        try
        {
            dataset = TokenDataset.Build([.. reviews, .. documents], shape.ContextLength, seed);
        }
        catch (CorpusException e)
        {
            return (null, $"no domain-adaptive pretraining: {e.Message}");
        }

        var steps = request.DomainSteps ?? (request.BaseModel is null
            ? TrainingDefaults.DomainPretrainingSteps(dataset.Train.Length, shape.ContextLength)
            : TrainingDefaults.DomainContinuationSteps(dataset.Train.Length, shape.ContextLength));
        var interval = TrainingDefaults.EvaluationInterval(steps);
        // Pretrained weights are adapted, not relearnt: a lower rate keeps what they know (from scratch, a language model's usual rate).
        var learningRate = request.BaseModel is null ? TrainingDefaults.LanguageModelLearningRate : TrainingDefaults.DomainContinuationLearningRate;
        var config = new TrainingConfig
        {
            MaxSteps = steps,
            BatchSize = TrainingDefaults.LanguageModelBatch,
            LearningRate = learningRate,
            MinLearningRate = learningRate / 10,
            WarmupSteps = TrainingDefaults.WarmupSteps(steps),
            Seed = seed,
            EvaluationInterval = interval,
            CheckpointInterval = interval,
            Precision = TrainingPlan.ChoosePrecision(request).Precision,
        };
        using var model = new Gpt(shape, seed);
        if (request.BaseModel is { } basePath) HuggingFaceGpt2.LoadAny(basePath, model);
        model.to(device);
        var output = Path.Combine(folder.Directory, Folder);
        var before = Engine.Evaluation.LanguageModelEvaluator.Evaluate(model, dataset.Validation, TrainingRun.ReportWindows);
        using (var objective = new LanguageModelObjective(model, dataset))
            new Trainer(config).Train(objective, output, new TrainingRun.InlineProgress(p =>
            {
                if (observer.Phase is not { } phase || (p.Step % Math.Max(1, steps / 50) != 0 && p.Step != steps && p.ValidationLoss is null)) return;
                phase(string.Create(CultureInfo.InvariantCulture, $"Domain-adaptive pretraining: step {p.Step} of {steps}") +
                      (p.ValidationLoss is { } v ? string.Create(CultureInfo.InvariantCulture, $", validation loss {v:0.###}") : "") +
                      "; the classifier trains after it.");
            }), resume: false, ct);
        var best = TrainingOutput.Resolve(output).Path;
        CheckpointStore.LoadModel(best, model);
        var after = Engine.Evaluation.LanguageModelEvaluator.Evaluate(model, dataset.Validation, TrainingRun.ReportWindows);
        var step = CheckpointStore.ReadMetadata(best).Step;
        var texts = $"{reviews.Count:N0} texts of {Path.GetFileName(ReviewsFile(request))} (the validation and held-out ones left out)";
        var read = documents.Count > 0 ? $"{texts} and {documents.Count:N0} documents" : texts;
        var from = request.BaseModel is { } start ? $" (continuing {Path.GetFileName(start)})" : "";
        return (best, string.Create(CultureInfo.InvariantCulture,
            $"domain-adaptive pretraining first ({trainingExamples:N0} labelled training examples, below {TrainingDefaults.DomainPretrainingBelow:N0}): language-model training{from} on {read}, {dataset.Train.Length:N0} tokens, best at step {step} of {steps}; held-out perplexity {before.Perplexity:0.#} → {after.Perplexity:0.#}"));
    }
}
