using Planner.Engine.Model;
using Planner.Engine.Training;

namespace Planner.Hosting.Training;

/// <summary>What the founder asked to train, with its settings; unset ones take <see cref="TrainingDefaults"/>.
/// <see cref="CorpusDirectory"/> is a folder or file of documents for a language model, or the labelled CSV for a
/// classifier. A queued run copies its data into the run's folder, so it keeps (and resumes on) exactly the data it
/// started with.</summary>
public sealed record TrainingRequest(string CorpusDirectory, string CorpusLabel, string Preset = TrainingDefaults.Preset, int? Steps = null,
    int? Batch = null, double? LearningRate = null)
{
    public const int MaxContext = 1024;

    public TrainingTask Task { get; init; } = TrainingTask.LanguageModel;

    /// <summary>Context length in tokens, a multiple of 256; null takes the preset's (or the base model's).</summary>
    public int? Context { get; init; }

    /// <summary>Overrides of the preset's shape, as nanoGPT's n_layer, n_head and n_embd: a smaller or larger model than
    /// the presets (a quick trial run, a model sized to the data); null keeps the preset's. Not with a base model, whose
    /// shape is kept.</summary>
    public int? Layers { get; init; }

    /// <inheritdoc cref="Layers"/>
    public int? Heads { get; init; }

    /// <summary>The embedding width, a multiple of 32 (GGUF's 8-bit export quantises rows in blocks of 32); see
    /// <see cref="Layers"/>.</summary>
    public int? Width { get; init; }

    public const int MaxLayers = 48;
    public const int MaxHeads = 64;
    public const int MaxWidth = 2048;

    /// <summary>Whether any of <see cref="Layers"/>, <see cref="Heads"/> or <see cref="Width"/> is set.</summary>
    public bool OverridesShape => Layers is not null || Heads is not null || Width is not null;

    /// <summary>The model's size as the pages name it: the preset, with what was changed of its shape
    /// ("tiny: 1 layer, 32 wide, 2 heads").</summary>
    public string ShapeLabel => !OverridesShape ? Preset : $"{Preset}: {string.Join(", ", new[]
    {
        Layers is { } l ? $"{l} layer{(l == 1 ? "" : "s")}" : null,
        Width is { } w ? $"{w} wide" : null,
        Heads is { } h ? $"{h} head{(h == 1 ? "" : "s")}" : null,
    }.OfType<string>())}";

    /// <summary>Weights to start from: a Hugging Face GPT-2 model.safetensors, our own safetensors or an earlier run's
    /// checkpoint folder; null trains from scratch with <see cref="Preset"/>. The base model's shape is kept.</summary>
    public string? BaseModel { get; init; }

    /// <summary>The column of a CSV holding the text (documents and reviews).</summary>
    public string TextColumn { get; init; } = "text";

    /// <summary>The classifier's label column (e.g. sentiment or category).</summary>
    public string LabelColumn { get; init; } = "label";

    /// <summary>Specific files to train on (copied into the run); when empty, <see cref="CorpusDirectory"/> is read as is.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Micro-batches summed before each optimizer step; null: 1.</summary>
    public int? Accumulate { get; init; }

    /// <summary>Seeds the weights, the data split and the batches; null: <see cref="TrainingDefaults.Seed"/>.</summary>
    public int? Seed { get; init; }

    /// <summary>Evaluate and checkpoint every this many steps; null: about six times a run.</summary>
    public int? EvaluationInterval { get; init; }

    /// <summary>auto (a GPU when TorchSharp's CUDA backend is installed), cpu or cuda.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>auto (bfloat16 mixed precision on a CPU with AVX-512 BF16 or AMX, else float32), fp32 or bf16; a resumed
    /// run under auto keeps its checkpoint's (<see cref="PrecisionChoice"/>).</summary>
    public string Precision { get; init; } = "auto";

    /// <summary>For a classifier with fewer than <see cref="TrainingDefaults.DomainPretrainingBelow"/> labelled training
    /// examples: first learn the texts it has (domain-adaptive pretraining, from scratch or from the base model; how:
    /// <see cref="DomainMethod"/>). False trains the classifier straight from scratch or from the base model.</summary>
    public bool DomainPretraining { get; init; } = true;

    /// <summary>Documents (a file or folder: the workspace's) that domain-adaptive pretraining reads besides the review
    /// texts; null: the review texts only.</summary>
    public string? DomainDocuments { get; init; }

    /// <summary>What domain-adaptive pretraining does: distil the pretrained sentence encoder into the model, or continue
    /// language-model training; <see cref="DomainPretrainingMethod.Auto"/> decides by whether the run starts from a base
    /// model (<see cref="DomainMethodOrDefault"/>).</summary>
    public DomainPretrainingMethod DomainMethod { get; init; } = DomainPretrainingMethod.Auto;

    /// <summary>The method domain-adaptive pretraining uses: the one asked for, or under auto the sentence encoder's
    /// distillation from scratch and language-model training from a base model, each where it measured better.</summary>
    public DomainPretrainingMethod DomainMethodOrDefault => DomainMethod != DomainPretrainingMethod.Auto ? DomainMethod
        : BaseModel is null ? DomainPretrainingMethod.Encoder : DomainPretrainingMethod.LanguageModel;

    /// <summary>Steps of domain-adaptive pretraining; null: <see cref="TrainingDefaults.DistillationSteps"/> when distilling, else <see cref="TrainingDefaults.DomainPretrainingSteps"/> (<see cref="TrainingDefaults.DomainContinuationSteps"/> from a base model).</summary>
    public int? DomainSteps { get; init; }

    /// <summary>How a classifier pools the hidden states of a text; null: <see cref="TrainingDefaults.ClassifierPooling"/>.</summary>
    public ClassifierPooling? Pooling { get; init; }

    /// <summary>Export to GGUF and make it the active model as soon as the run completes (the starter model does).</summary>
    public bool ExportWhenDone { get; init; }

    public int StepsOrDefault => Steps ?? TrainingDefaults.Steps;
    public int BatchOrDefault => Batch ?? TrainingDefaults.Batch(Task);
    public double LearningRateOrDefault => LearningRate ?? TrainingDefaults.LearningRate(Task);
    public int SeedOrDefault => Seed ?? TrainingDefaults.Seed;

    /// <summary>The run's length as the hosts show it: "200 steps", or for a classifier left to its data, "epochs from the
    /// data" (the plan is made once the data is read: <see cref="TrainingPlan.ForClassifier"/>).</summary>
    public string StepsText => Task == TrainingTask.Classifier && Steps is null
        ? $"up to {TrainingDefaults.ClassifierEpochs} epochs"
        : $"{StepsOrDefault:N0} steps";

    /// <summary>The problems with these settings, in words; empty when they are fine. The data itself is checked by
    /// <see cref="TrainingCorpus.Problem"/>.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!IsPreset(Preset)) problems.Add($"Unknown preset '{Preset}'; use tiny, small or gpt2.");
        if (StepsOrDefault is < 1 or > 100_000) problems.Add("Steps must be between 1 and 100,000.");
        if (BatchOrDefault is < 1 or > 64) problems.Add("Batch must be between 1 and 64.");
        if (LearningRateOrDefault is <= 0 or > 0.1 || double.IsNaN(LearningRateOrDefault)) problems.Add("The learning rate must be above 0 and at most 0.1.");
        if (Accumulate is < 1 or > 64) problems.Add("Gradient accumulation must be between 1 and 64 micro-batches.");
        if (DomainSteps is < 1 or > 100_000) problems.Add("Domain-adaptive pretraining steps must be between 1 and 100,000.");
        if (EvaluationInterval is < 1) problems.Add("The evaluation interval must be at least one step.");
        if (!PrecisionChoice.Names.Contains(Precision)) problems.Add($"Unknown precision '{Precision}'; use auto, fp32 or bf16.");
        problems.AddRange(ShapeProblems());
        if (Context is { } context && (context < 256 || context > MaxContext || context % 256 != 0))
            problems.Add($"The context must be 256, 512, 768 or {MaxContext} tokens (a multiple of 256, which llama.cpp needs).");
        if (Files.Count == 0 && !Directory.Exists(CorpusDirectory) && !File.Exists(CorpusDirectory))
            problems.Add($"There is no data to train on ({CorpusLabel}): choose documents or upload some first.");
        if (Files.FirstOrDefault(f => !File.Exists(f)) is { } missing)
            problems.Add($"{Path.GetFileName(missing)} is no longer in the library.");
        if (Task == TrainingTask.Classifier && LabelColumn.Trim().Length == 0) problems.Add("Choose the column that holds the labels.");
        return problems;
    }

    /// <summary>Whether <paramref name="name"/> is one of the presets a request accepts.</summary>
    public static bool IsPreset(string name) => name is "tiny" or "small" or "gpt2";

    private IEnumerable<string> ShapeProblems()
    {
        if (Layers is < 1 or > MaxLayers) yield return $"Layers must be between 1 and {MaxLayers}.";
        if (Heads is < 1 or > MaxHeads) yield return $"Heads must be between 1 and {MaxHeads}.";
        if (Width is { } requested && (requested < 32 || requested > MaxWidth || requested % 32 != 0)) yield return $"The width must be a multiple of 32 from 32 to {MaxWidth}.";
        if (BaseModel is not null && OverridesShape)
        {
            yield return "A base model keeps its own shape: leave layers, heads and width unset, or train from scratch.";
        }
        else if (IsPreset(Preset) && OverridesShape)
        {
            var preset = GptConfig.Preset(Preset);
            var (width, heads) = (Width ?? preset.Embedding, Heads ?? preset.Heads);
            if (heads > 0 && width % heads != 0) yield return $"A width of {width} does not divide into {heads} heads.";
        }
    }
}
