using System.Globalization;
using Planner.Engine.Data;
using Planner.Engine.Evaluation;
using Planner.Engine.Export;
using Planner.Engine.Model;
using Planner.Engine.Training;
using TorchSharp;

namespace Planner.Hosting.Training;

/// <summary>Domain-adaptive pretraining: before a classifier with little labelled data trains, the same GPT-2 shape —
/// from scratch, or from the base model's weights when the run starts from one — learns the texts at hand — every review text of the file except the validation and held-out ones
/// (unlabelled rows too) and the workspace documents — in the run's <c>domain/</c> folder, by distilling the pretrained
/// sentence encoder or by language-model training (<see cref="DomainPretrainingMethod"/>); the classifier then starts
/// from its best checkpoint. Validation and held-out reviews stay unseen, so the choices made on the one and the figures measured on the other remain honest.</summary>
public static class DomainPretraining
{
    /// <summary>The pretraining run's folder inside the classifier's run folder.</summary>
    public const string Folder = "domain";

    /// <summary>Texts the encoder reads between two looks at cancellation (and two progress lines): a few seconds' work.</summary>
    private const int EncodingChunk = 1_000;

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

    /// <summary>Runs the pretraining the request asks for (<see cref="TrainingRequest.DomainMethodOrDefault"/>) and returns its best
    /// checkpoint with what it did in words, or null checkpoint and the reason when the texts are too short to train on.</summary>
    public static (string? Checkpoint, string Description) Run(TrainingRequest request, GptConfig shape, int trainingExamples,
        IReadOnlyCollection<string> leftOut, RunFolder folder, TorchSharp.torch.Device device, TrainingObserver observer, CancellationToken ct)
    {
        var (reviews, documents) = Texts(request, leftOut, observer);
        return request.DomainMethodOrDefault == DomainPretrainingMethod.Encoder
            ? Distil(request, shape, trainingExamples, reviews, documents, folder, device, observer, ct)
            : LanguageModel(request, shape, trainingExamples, reviews, documents, folder, device, observer, ct);
    }

    /// <summary>The texts pretraining may read: the reviews file's rows but the validation and held-out ones, and the documents.</summary>
    private static (List<TextDocument> Reviews, List<TextDocument> Documents) Texts(TrainingRequest request, IReadOnlyCollection<string> leftOut, TrainingObserver observer)
    {
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
        return (reviews, documents);
    }

    private static string ReadDescription(TrainingRequest request, List<TextDocument> reviews, List<TextDocument> documents)
    {
        // The request's label names the file as the founder knows it (a library upload is stored under another name).
        var texts = $"{reviews.Count:N0} texts of {request.CorpusLabel} (the validation and held-out ones left out)";
        return documents.Count > 0 ? $"{texts} and {documents.Count:N0} documents" : texts;
    }

    private static (string? Checkpoint, string Description) LanguageModel(TrainingRequest request, GptConfig shape, int trainingExamples,
        List<TextDocument> reviews, List<TextDocument> documents, RunFolder folder, TorchSharp.torch.Device device, TrainingObserver observer, CancellationToken ct)
    {
        var seed = request.SeedOrDefault;
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
        // Pretrained weights are adapted, not relearnt: a lower rate keeps what they know (from scratch, a language model's usual rate).
        var config = Settings(request, steps, TrainingDefaults.LanguageModelBatch, TrainingDefaults.LanguageModelLearningRate);
        using var model = new Gpt(shape, seed);
        if (request.BaseModel is { } basePath) HuggingFaceGpt2.LoadAny(basePath, model);
        model.to(device);
        var output = Path.Combine(folder.Directory, Folder);
        var before = Engine.Evaluation.LanguageModelEvaluator.Evaluate(model, dataset.Validation, TrainingRun.ReportWindows);
        using (var objective = new LanguageModelObjective(model, dataset))
            Train(objective, config, output, "validation loss", observer, ct);
        var best = TrainingOutput.Resolve(output).Path;
        CheckpointStore.LoadModel(best, model);
        var after = Engine.Evaluation.LanguageModelEvaluator.Evaluate(model, dataset.Validation, TrainingRun.ReportWindows);
        var step = CheckpointStore.ReadMetadata(best).Step;
        var read = ReadDescription(request, reviews, documents);
        var from = request.BaseModel is { } start ? $" (continuing {Path.GetFileName(start)})" : "";
        return (best, string.Create(CultureInfo.InvariantCulture,
            $"domain-adaptive pretraining first ({trainingExamples:N0} labelled training examples, below {TrainingDefaults.DomainPretrainingBelow:N0}): language-model training{from} on {read}, {dataset.Train.Length:N0} tokens, best at step {step} of {steps}; held-out perplexity {before.Perplexity:0.#} → {after.Perplexity:0.#}"));
    }

    /// <summary>Distils the pretrained sentence encoder into the classifier's GPT-2 shape (<see cref="SentenceStudent"/>):
    /// the student learns to give each text at hand — every review but the validation and held-out ones, and each
    /// passage of the documents — the encoder's embedding; a twentieth of the texts (at most 500) measures it.</summary>
    private static (string? Checkpoint, string Description) Distil(TrainingRequest request, GptConfig shape, int trainingExamples,
        List<TextDocument> reviews, List<TextDocument> documents, RunFolder folder, TorchSharp.torch.Device device, TrainingObserver observer, CancellationToken ct)
    {
        var seed = request.SeedOrDefault;
        var texts = reviews.SelectMany(r => Pieces(r.Text)).Concat(documents.SelectMany(d => Passages(d.Text)))
            .Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (texts.Count < 2) return (null, "no domain-adaptive pretraining: fewer than two texts to distil the encoder on");
        var shuffle = DeterministicRandom.For(seed, 0x5E47);
        texts = [.. texts.OrderBy(_ => shuffle.Next())];
        observer.Phase?.Invoke($"Domain-adaptive pretraining: the pretrained sentence encoder reads {texts.Count:N0} texts; the classifier trains after it.");
        var taught = new List<TaughtText>(texts.Count);
        foreach (var chunk in texts.Chunk(EncodingChunk))
        {
            ct.ThrowIfCancellationRequested();
            taught.AddRange(chunk.Zip(SentenceEmbeddings.Encode(chunk), (t, v) => new TaughtText(t, v)));
            if (taught.Count < texts.Count)
                observer.Phase?.Invoke($"Domain-adaptive pretraining: the pretrained sentence encoder has read {taught.Count:N0} of {texts.Count:N0} texts; the classifier trains after it.");
        }
        var held = Math.Clamp(taught.Count / 20, 1, 500);
        var (validation, train) = (taught[..held], taught[held..]);

        var steps = request.DomainSteps ?? TrainingDefaults.DistillationSteps(train.Count);
        var config = Settings(request, steps, TrainingDefaults.DistillationBatch, TrainingDefaults.DistillationLearningRate);
        using var student = new SentenceStudent(shape, SentenceEmbeddings.Dimensions, seed);
        if (request.BaseModel is { } basePath) HuggingFaceGpt2.LoadAny(basePath, student.Transformer);
        student.to(device);
        var output = Path.Combine(folder.Directory, Folder);
        var objective = new EncoderDistillationObjective(student, train, validation);
        double before;
        using (MixedPrecision.Use(student, config.Precision == TrainingPrecision.Bf16 ? TorchSharp.torch.ScalarType.BFloat16 : null))
            before = objective.Evaluate(config)!.Loss; // in the precision the trainer evaluates in, so before and after compare
        Train(objective, config, output, "distance from the encoder", observer, ct);
        var best = TrainingOutput.Resolve(output).Path;
        var saved = CheckpointStore.ReadMetadata(best);
        var from = request.BaseModel is { } start ? $" (starting from {Path.GetFileName(start)})" : "";
        return (best, string.Create(CultureInfo.InvariantCulture,
            $"domain-adaptive pretraining first ({trainingExamples:N0} labelled training examples, below {TrainingDefaults.DomainPretrainingBelow:N0}): the pretrained sentence encoder distilled{from} on {ReadDescription(request, reviews, documents)}, {texts.Count:N0} texts, best at step {saved.Step} of {steps}; distance from the encoder (1 − cosine) on {validation.Count:N0} texts it does not train on {before:0.###} → {saved.BestValidationLoss:0.###}"));
    }

    /// <summary>The pretraining's settings: its steps, batch and peak rate from scratch (from a base model the lower
    /// continuation rate), evaluated and checkpointed about six times, in the classifier run's precision.</summary>
    private static TrainingConfig Settings(TrainingRequest request, int steps, int batch, double fromScratch) =>
        TrainingPlan.Schedule(request, steps, batch, request.BaseModel is null ? fromScratch : TrainingDefaults.DomainContinuationLearningRate,
            TrainingDefaults.EvaluationInterval(steps));

    /// <summary>Trains the pretraining objective into <paramref name="output"/>, telling its host about fifty steps of it
    /// and every evaluation (its loss named <paramref name="lossWords"/>).</summary>
    private static void Train(ITrainingObjective objective, TrainingConfig config, string output, string lossWords, TrainingObserver observer, CancellationToken ct)
    {
        var steps = config.MaxSteps;
        new Trainer(config).Train(objective, output, new TrainingRun.InlineProgress(p =>
        {
            if (observer.Phase is not { } phase || (p.Step % Math.Max(1, steps / 50) != 0 && p.Step != steps && p.ValidationLoss is null)) return;
            phase(string.Create(CultureInfo.InvariantCulture, $"Domain-adaptive pretraining: step {p.Step} of {steps}") +
                  (p.ValidationLoss is { } v ? string.Create(CultureInfo.InvariantCulture, $", {lossWords} {v:0.###}") : "") +
                  "; the classifier trains after it.");
        }), resume: false, ct);
    }

    /// <summary>A document's paragraphs of three words or more, each cut into <see cref="Pieces"/>.</summary>
    internal static IEnumerable<string> Passages(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(paragraph => paragraph.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries).Length >= 3)
            .SelectMany(Pieces);

    /// <summary>A text with its whitespace runs made single spaces, cut at spaces into pieces of at most 1,000 characters
    /// (well inside what the encoder reads, so the student and its teacher see the same words).</summary>
    internal static IEnumerable<string> Pieces(string text)
    {
        const int Longest = 1_000;
        var rest = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        while (rest.Length > Longest)
        {
            var cut = rest.LastIndexOf(' ', Longest);
            if (cut <= 0) cut = char.IsHighSurrogate(rest[Longest - 1]) ? Longest - 1 : Longest;
            yield return rest[..cut];
            rest = rest[cut..].TrimStart();
        }
        if (rest.Length > 0) yield return rest;
    }
}
