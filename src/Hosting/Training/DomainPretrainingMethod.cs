namespace Planner.Hosting.Training;

/// <summary>What domain-adaptive pretraining does before a classifier trains on little labelled data (written by name in a run's request).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<DomainPretrainingMethod>))]
public enum DomainPretrainingMethod
{
    /// <summary>From scratch, <see cref="Encoder"/>; from a base model, <see cref="LanguageModel"/> (docs/benchmarks.md,
    /// "Review classifier: the sentence encoder distilled into GPT-2").</summary>
    Auto,

    /// <summary>Language-model training on the texts at hand.</summary>
    LanguageModel,

    /// <summary>The pretrained sentence encoder (all-MiniLM-L6-v2) distilled into the model on the texts at hand.</summary>
    Encoder,
}
