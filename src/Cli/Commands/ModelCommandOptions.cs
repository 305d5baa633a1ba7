using System.CommandLine;
using System.Globalization;
using Planner.Engine.Data;
using Planner.Engine.Native;
using Planner.Hosting.Native;
using Planner.Engine.Training;

namespace Planner.Cli.Commands;

/// <summary>Options and error handling shared by the model commands (train, eval, generate, export-model, classify…).</summary>
internal static class ModelCommandOptions
{
    public static Option<string> Device() => new("--device")
    {
        Description = "auto (CUDA when TorchSharp's CUDA backend is installed, else CPU), cpu or cuda.",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>--precision auto|fp32|bf16; anything else is a usage error naming the choices.</summary>
    public static Option<string> Precision()
    {
        var option = new Option<string>("--precision")
        {
            Description = "auto (bfloat16 mixed precision on a CPU with AVX-512 BF16 or AMX, else float32; a resumed run keeps its checkpoint's), fp32 or bf16.",
            DefaultValueFactory = _ => "auto",
        };
        option.AcceptOnlyFromAmong([.. PrecisionChoice.Names]);
        return option;
    }

    /// <summary>An option naming one of <typeparamref name="T"/>'s values in lower case (any case is read); anything else is
    /// a usage error naming the choices, not the type.</summary>
    public static Option<T> Choice<T>(string name, T defaultValue, string description) where T : struct, Enum
    {
        return new Option<T>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var token = result.Tokens.Single().Value;
                if (Enum.GetNames<T>().FirstOrDefault(n => n.Equals(token, StringComparison.OrdinalIgnoreCase)) is { } chosen) return Enum.Parse<T>(chosen);
                result.AddError($"'{token}' is not a choice of {name}: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
                return defaultValue;
            },
        };
    }

    public static Option<string> Preset() => new("--preset")
    {
        Description = "Model shape: tiny (4×256), small (6×384) or gpt2 (12×768, the 124M GPT-2).",
        DefaultValueFactory = _ => "tiny",
    };

    public static Option<int?> Int(string name, string description) => new(name) { Description = description };
    /// <summary>A number in the invariant culture without thousands separators: System.CommandLine's own parser reads
    /// "1,5" (a decimal comma) as 15, a learning rate a hundred times too big.</summary>
    public static Option<double?> Double(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
            result.AddError($"{name} needs a number; '{text}' is not one.");
            return null;
        },
    };

    public static Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };

    public static Option<string> TextColumn() => new("--text-column") { Description = "Column holding the text.", DefaultValueFactory = _ => "text" };

    /// <summary>Checks the options a --resume was given against the checkpoint it continues, and says how it continues: the
    /// checkpoint's own settings, except --steps, which moves the end of the run (to train longer). A training option
    /// given with another value than the checkpoint's is refused rather than silently ignored; the same values (the
    /// original command repeated with --resume) are fine. --init is not used (the weights come from the checkpoint) and
    /// says so.</summary>
    public static async Task CheckResumeAsync(TextWriter stdout, ParseResult parsed, CheckpointMetadata saved, Option<int?> steps,
        ModelShapeOptions shape, Option<string?> init, Option<int?> context, Option<int?> batch, Option<double?> learningRate, Option<int?> seed,
        Option<int?> evalInterval, Option<int?> accumulate)
    {
        var t = saved.Training;
        var differences = shape.Differences(parsed, saved.Model).Concat(new[]
        {
            Differs(parsed, context, saved.Model.ContextLength),
            Differs(parsed, batch, t.BatchSize),
            Differs(parsed, accumulate, t.GradientAccumulationSteps),
            Differs(parsed, learningRate, t.LearningRate),
            Differs(parsed, seed, t.Seed),
            Differs(parsed, evalInterval, t.EvaluationInterval),
        }.OfType<string>()).ToList();
        if (differences.Count > 0)
            throw new ArgumentException($"{string.Join(", ", differences)}: a resumed run keeps the checkpoint's settings; only --steps can change (to train longer).");

        if (parsed.GetValue(steps) is not { } end || end == t.MaxSteps)
        {
            await stdout.WriteLineAsync($"Resuming from step {saved.Step} of {t.MaxSteps} with the saved settings.");
        }
        else
        {
            if (end <= saved.Step)
                throw new ArgumentException($"--steps {end}: the checkpoint is already at step {saved.Step}; give a larger number to train longer.");
            await stdout.WriteLineAsync($"Resuming from step {saved.Step}, now to step {end} (was {t.MaxSteps}), with the saved settings; the learning-rate schedule is stretched to end at step {end}.");
        }
        if (parsed.GetValue(init) is not null) await stdout.WriteLineAsync("(--init is not used when resuming: the weights come from the checkpoint.)");
    }

    /// <summary>"--name value (the checkpoint has saved)" when <paramref name="option"/> was given with another value
    /// than the checkpoint's; null when it was not given or agrees.</summary>
    public static string? Differs<T>(ParseResult parsed, Option<T> option, T saved, Func<T, T, bool>? same = null)
    {
        if (parsed.GetResult(option) is not { Implicit: false }) return null;
        var value = parsed.GetValue(option);
        return (same ?? EqualityComparer<T>.Default.Equals)(value!, saved) ? null : FormattableString.Invariant($"{option.Name} {value} (the checkpoint has {saved})");
    }

    /// <summary>Runs a model command after the Engine's native set-up (from the same configuration as the web app; a
    /// setting that is not understood is refused), turning the errors a user can cause into one line on stderr and exit
    /// code 1. <paramref name="trainingProcess"/>: the command trains, so the training heap is kept unless configured off.</summary>
    public static Task<int> Run(TextWriter stderr, ParseResult parsed, bool trainingProcess, Func<EngineNativeStatus, Task<int>> action) =>
        Run(stderr, () => action(EngineNativeSetup.Apply(CliServices.Configuration(parsed), trainingProcess)));

    /// <summary>Runs a command that needs no Engine (llama.cpp alone), with the same handling of the errors a user can cause.</summary>
    public static async Task<int> Run(TextWriter stderr, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("planner: cancelled; the last checkpoint is intact (continue with --resume).");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is CorpusException or CheckpointException or InvalidDataException or ArgumentException or FileNotFoundException or DirectoryNotFoundException or TrainingDivergedException or Hosting.Hub.HubException)
        {
            await stderr.WriteLineAsync($"planner: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.BadInput;
        }
    }

    /// <summary>A checkpoint folder, or a training run's folder (its best checkpoint, else its latest), saying on stderr
    /// which checkpoint a run folder stood for.</summary>
    public static async Task<string> CheckpointAsync(TextWriter stderr, string path)
    {
        var resolved = TrainingOutput.Resolve(path);
        if (resolved.Choice != CheckpointChoice.AsGiven) await stderr.WriteLineAsync($"planner: using {resolved.Describe()}");
        return resolved.Path;
    }

    public static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
