using System.CommandLine;
using System.Globalization;
using Planner.Engine.Evaluation;
using Planner.Engine.Model;
using Planner.Engine.Native;
using Planner.Engine.Training;
using Planner.Hosting.Training;

namespace Planner.Cli.Commands;

/// <summary><c>planner train</c> (a GPT-2 language model on documents) and <c>planner train-classifier</c> (GPT-2 with a
/// classification head on a labelled CSV): a <see cref="TrainingRequest"/> from the options, run by the same
/// <see cref="TrainingRun"/> as the Training page, with the same defaults (<see cref="TrainingDefaults"/>), so the same
/// request gives the same model from either.</summary>
public static class TrainCommands
{
    public static Command LanguageModel(TextWriter stdout, TextWriter stderr)
    {
        var corpus = ModelCommandOptions.Required("--corpus", "A .txt/.md/.pdf/.csv file or a folder of them.");
        return Create(TrainingTask.LanguageModel, "train", "Train a GPT-2 language model on your documents.", corpus, null, null, null, stdout, stderr);
    }

    public static Command Classifier(TextWriter stdout, TextWriter stderr)
    {
        var data = ModelCommandOptions.Required("--data", "A CSV with a text column and a label column.");
        var labelColumn = new Option<string>("--label-column") { Description = "Column holding the label.", DefaultValueFactory = _ => "label" };
        var pretraining = new DomainOptions(
            new Option<bool>("--no-domain-pretraining") { Description = $"Skip domain-adaptive pretraining even with fewer than {TrainingDefaults.DomainPretrainingBelow:N0} labelled training examples (by default the classifier's model first learns the texts: from scratch by distilling the pretrained sentence encoder, from an --init model by continuing its language-model training; see --domain-method)." },
            new Option<string?>("--documents") { Description = "Documents (a file or folder) that domain-adaptive pretraining reads besides the CSV's texts, e.g. the workspace's documents." },
            ModelCommandOptions.Int("--domain-steps", "Steps of domain-adaptive pretraining (default, distilling the encoder: about 10 passes over its texts, 200 to 3,000; language-model training: about 20 passes over its text, 400 to 1,000; continuing an --init model, about 10 passes, 50 to 1,000)."),
            ModelCommandOptions.Choice<DomainPretrainingMethod>("--domain-method", DomainPretrainingMethod.Auto, "What domain-adaptive pretraining does: encoder (distil the pretrained sentence encoder into the model on the texts), languagemodel (continue language-model training on the texts) or auto (the default: encoder from scratch, languagemodel from an --init model)."),
            ModelCommandOptions.Choice("--pooling", TrainingDefaults.ClassifierPooling, $"How a text's hidden states become one vector: last (the last token's) or mean (all tokens') (default {TrainingDefaults.ClassifierPooling.ToString().ToLowerInvariant()})."));
        return Create(TrainingTask.Classifier, "train-classifier", "Train a GPT-2 text classifier (e.g. review sentiment) from a labelled CSV.",
            data, ModelCommandOptions.TextColumn(), labelColumn, pretraining, stdout, stderr);
    }

    /// <summary>The names of those of <paramref name="options"/> given on the command line.</summary>
    private static List<string> Given(ParseResult parsed, params Option[] options) =>
        [.. options.Where(o => parsed.GetResult(o) is { Implicit: false }).Select(o => o.Name)];

    private static string Name(ClassifierPooling pooling) => pooling.ToString().ToLowerInvariant();

    private sealed record DomainOptions(Option<bool> Off, Option<string?> Documents, Option<int?> Steps, Option<DomainPretrainingMethod> Method, Option<ClassifierPooling> Pooling);

    private static Command Create(TrainingTask task, string name, string description, Option<string> data, Option<string>? textColumn,
        Option<string>? labelColumn, DomainOptions? pretraining, TextWriter stdout, TextWriter stderr)
    {
        var output = ModelCommandOptions.Required("--out", "The run's folder: checkpoint/, best/, metrics.jsonl and report.json.");
        var shape = new ModelShapeOptions();
        var init = new Option<string?>("--init") { Description = "Start from weights: a checkpoint or run folder, our model.safetensors, a Hugging Face GPT-2 model.safetensors (its shape is kept), or hf:owner/name[/file] — pulled from the model hub into the models folder first (default file model.safetensors)." };
        var steps = ModelCommandOptions.Int("--steps", task == TrainingTask.Classifier
            ? $"Optimizer steps (default: up to {TrainingDefaults.ClassifierEpochs} epochs, stopping early on validation macro-F1)."
            : $"Optimizer steps (default {TrainingDefaults.Steps}).");
        var batch = ModelCommandOptions.Int("--batch", task == TrainingTask.Classifier
            ? "Sequences per micro-batch (default: 8 below 500 training examples, 16 below 2,000, else 32)."
            : $"Sequences per micro-batch (default {TrainingDefaults.Batch(task)}).");
        var accumulate = ModelCommandOptions.Int("--accumulate", "Micro-batches per optimizer step (default 1).");
        var context = ModelCommandOptions.Int("--context", "Context length, a multiple of 256 (default: the preset's)" + (task == TrainingTask.Classifier ? "; longer texts are truncated." : "."));
        var learningRate = ModelCommandOptions.Double("--lr", task == TrainingTask.Classifier
            ? "Peak learning rate, at most 0.1 (default 3e-4 × √(batch / 8))."
            : $"Peak learning rate, at most 0.1 (default {TrainingDefaults.LearningRate(task).ToString(CultureInfo.InvariantCulture)}).");
        var seed = ModelCommandOptions.Int("--seed", $"Seed for initialisation, data split and batches (default {TrainingDefaults.Seed}).");
        var evalInterval = ModelCommandOptions.Int("--eval-interval", "Evaluate and checkpoint every N steps (default: about six times a run).");
        var resume = new Option<bool>("--resume") { Description = "Continue from OUT/checkpoint with its saved settings (--steps may move the end, to train longer)." };
        var device = ModelCommandOptions.Device();
        var precision = ModelCommandOptions.Precision();
        var command = new Command(name, description) { data, shape.Preset, shape.Layers, shape.Heads, shape.Width, init, steps, batch, accumulate, context,
            learningRate, seed, evalInterval, resume, output, device, precision };
        if (textColumn is not null) command.Options.Add(textColumn);
        if (labelColumn is not null) command.Options.Add(labelColumn);
        if (pretraining is not null)
        {
            command.Options.Add(pretraining.Off);
            command.Options.Add(pretraining.Documents);
            command.Options.Add(pretraining.Steps);
            command.Options.Add(pretraining.Method);
            command.Options.Add(pretraining.Pooling);
        }
        command.SetAction((parsed, ct) => ModelCommandOptions.Run(stderr, parsed, trainingProcess: true, async native =>
        {
            var path = parsed.GetValue(data)!;
            if (!File.Exists(path) && !Directory.Exists(path))
                throw new Engine.Data.CorpusException(task == TrainingTask.Classifier ? $"Data file '{path}' does not exist." : $"Corpus '{path}' does not exist.");
            var request = new TrainingRequest(path, Path.GetFileName(Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar)), parsed.GetValue(shape.Preset)!,
                parsed.GetValue(steps), parsed.GetValue(batch), parsed.GetValue(learningRate))
            {
                Task = task,
                Context = parsed.GetValue(context),
                Layers = parsed.GetValue(shape.Layers),
                Heads = parsed.GetValue(shape.Heads),
                Width = parsed.GetValue(shape.Width),
                BaseModel = await ModelsCommand.ResolveInitAsync(parsed, parsed.GetValue(init), stdout, ct),
                TextColumn = textColumn is null ? "text" : parsed.GetValue(textColumn)!,
                LabelColumn = labelColumn is null ? "label" : parsed.GetValue(labelColumn)!,
                Accumulate = parsed.GetValue(accumulate),
                Seed = parsed.GetValue(seed),
                EvaluationInterval = parsed.GetValue(evalInterval),
                Device = parsed.GetValue(device)!,
                Precision = parsed.GetValue(precision)!,
                DomainPretraining = pretraining is null || !parsed.GetValue(pretraining.Off),
                DomainDocuments = pretraining is null ? null : parsed.GetValue(pretraining.Documents),
                DomainSteps = pretraining is null ? null : parsed.GetValue(pretraining.Steps),
                DomainMethod = pretraining is null ? DomainPretrainingMethod.Auto : parsed.GetValue(pretraining.Method),
                Pooling = pretraining is null ? null : parsed.GetValue(pretraining.Pooling),
            };
            var run = new RunFolder(parsed.GetValue(output)!);
            var resuming = parsed.GetValue(resume);
            // Options of domain-adaptive pretraining given where it does not run: refused, not ignored.
            var domainGiven = pretraining is null ? [] : Given(parsed, pretraining.Documents, pretraining.Steps, pretraining.Method);
            if (!resuming && domainGiven.Count > 0 && !request.DomainPretraining)
                throw new ArgumentException($"{string.Join(", ", domainGiven)}: domain-adaptive pretraining is off (--no-domain-pretraining); leave {(domainGiven.Count == 1 ? "it" : "them")} out, or turn it on.");
            if (!resuming && request.DomainDocuments is { } documents && !File.Exists(documents) && !Directory.Exists(documents))
                throw new Engine.Data.CorpusException($"Documents '{documents}' do not exist.");
            if (resuming)
            {
                if (!run.CanResume) throw new CheckpointException($"nothing to resume: {run.Output.Latest} has no checkpoint.");
                var saved = CheckpointStore.ReadMetadata(run.Output.Latest);
                if (pretraining is not null && parsed.GetResult(pretraining.Pooling) is { Implicit: false } && parsed.GetValue(pretraining.Pooling) is var pooling
                    && pooling != (saved.Pooling ?? ClassifierPooling.Last))
                    throw new ArgumentException($"--pooling {Name(pooling)} (the checkpoint has {Name(saved.Pooling ?? ClassifierPooling.Last)}): a resumed run keeps the checkpoint's settings; only --steps can change (to train longer).");
                await ModelCommandOptions.CheckResumeAsync(stdout, parsed, saved, steps, shape, init, context,
                    batch, learningRate, seed, evalInterval, accumulate);
                if (pretraining is not null && (domainGiven.Count > 0 || parsed.GetResult(pretraining.Off) is { Implicit: false }))
                    await stdout.WriteLineAsync("(Domain-adaptive pretraining's options are not used when resuming: it ran before the run's first step.)");
            }
            else if (request.Problems() is { Count: > 0 } problems)
            {
                throw new ArgumentException(string.Join(" ", problems));
            }
            await stdout.WriteLineAsync(CpuFeatures.Current.Describe());
            await stdout.WriteLineAsync(native.Describe());
            await stdout.WriteLineAsync(TrainingAttention.Description);
            var observer = new TrainingObserver
            {
                Skipped = warning => stderr.WriteLine($"planner: warning: {warning}"),
                Phase = text => stdout.WriteLine(text),
                Started = start =>
                {
                    stdout.WriteLine($"Data: {start.DataUsed}.");
                    stdout.WriteLine($"Model: {start.Model}.");
                    if (start.Precision is { } chosen) stdout.WriteLine($"Precision: {chosen.Describe()}.");
                    if (start.Precision?.Warning is { } slow) stderr.WriteLine($"planner: warning: {slow}.");
                },
                Step = p => stdout.WriteLine(Describe(p)),
                Sample = s => stdout.WriteLine($"  sample at step {s.Step}: {s.Text.ReplaceLineEndings(" ").Trim()}"),
            };
            var outcome = TrainingRun.Execute(request, run, resuming, observer, ct, resuming ? parsed.GetValue(steps) : null);
            await stdout.WriteLineAsync($"{outcome.Summary} Checkpoints in {Path.GetFullPath(run.Directory)}.");
            if (outcome.Report is { Classification: { } gpt2, Baseline: { } baseline }) await stdout.WriteAsync(Compare(gpt2, baseline));
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The GPT-2 classifier, the baseline, the two combined and the pretrained encoder side by side on the same
    /// held-out texts: accuracy, macro-F1 and per-class F1 with the paired-bootstrap differences from the baseline, the
    /// confusion matrices, the validation scores the choice was made on, and which one evidence uses.</summary>
    internal static string Compare(ClassificationReport gpt2, BaselineComparison baseline)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        void Line(FormattableString line) => text.WriteLine(FormattableString.Invariant(line));
        var columns = new List<(string Name, ClassificationReport Report, BootstrapInterval? Accuracy, BootstrapInterval? MacroF1)>
        {
            ("GPT-2", gpt2, baseline.AccuracyDifference, baseline.MacroF1Difference), ("baseline", baseline.Report, null, null),
        };
        if (baseline.CombinedReport is { } both) columns.Add(("combined", both, baseline.CombinedAccuracyDifference, baseline.CombinedMacroF1Difference));
        if (baseline.EncoderReport is { } encoder) columns.Add(("encoder", encoder, baseline.EncoderAccuracyDifference, baseline.EncoderMacroF1Difference));
        var compared = columns.Where(c => c.Accuracy is not null).ToList();
        text.WriteLine($"Held-out comparison on {gpt2.Examples.ToString(CultureInfo.InvariantCulture)} texts (baseline: {baseline.Description}; "
            + (baseline.EncoderReport is null ? "" : $"encoder: {EncoderClassifier.Description}; ")
            + "combined: the mean of GPT-2's and the baseline's probabilities):");
        string Row(string name, Func<ClassificationReport, double?> value, Func<(string, ClassificationReport, BootstrapInterval?, BootstrapInterval?), BootstrapInterval?>? difference) =>
            $"  {name,-22}" + string.Concat(columns.Select(c => $" {F1(value(c.Report)),9}"))
            + (difference is null ? "" : string.Concat(compared.Select(c => $"  {difference(c)?.ToString() ?? "—",-36}"))).TrimEnd();
        text.WriteLine(($"  {"",-22}" + string.Concat(columns.Select(c => $" {c.Name,9}")) + string.Concat(compared.Select(c => $"  {c.Name + " − baseline",-36}"))).TrimEnd());
        text.WriteLine(Row("accuracy", r => r.Accuracy, c => c.Item3));
        text.WriteLine(Row("macro-F1", r => r.MacroF1, c => c.Item4));
        for (var i = 0; i < gpt2.Labels.Count; i++)
        {
            var label = i;
            text.WriteLine(Row("F1 " + gpt2.Labels[label], r => r.PerClassF1[label], null));
        }
        foreach (var (name, report, _, _) in columns)
        {
            Line($"  {name} confusion (rows actual, columns predicted: {string.Join(", ", report.Labels)}):");
            for (var row = 0; row < report.Labels.Count; row++)
                Line($"    {report.Labels[row],-20} {string.Join(" ", report.ConfusionMatrix[row].Select(n => n.ToString(CultureInfo.InvariantCulture).PadLeft(4)))}");
        }
        if (baseline.Validation is { } v)
            text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Validation ({v.Examples} texts, where the choice is made): macro-F1 GPT-2 {v.Gpt2.MacroF1:0.000}, baseline {v.Baseline.MacroF1:0.000}, combined {v.Combined.MacroF1:0.000}")
                + (v.Encoder is { } e ? string.Create(CultureInfo.InvariantCulture, $", encoder {e.MacroF1:0.000}") : "") + ".");
        Line($"Evidence uses {baseline.EvidenceModel}: {baseline.Reason}.");
        return text.ToString();
    }

    private static string F1(double? value) => value?.ToString("0.000", CultureInfo.InvariantCulture) ?? "—";

    internal static string Describe(TrainingProgress p)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"step {p.Step}/{p.TotalSteps}  loss {p.TrainLoss:F4}  lr {p.LearningRate:0.00e+0}  {p.TokensPerSecond:F0} tok/s  ETA {p.EstimatedRemaining:hh\\:mm\\:ss}");
        if (p.ValidationLoss is { } v) line += string.Create(CultureInfo.InvariantCulture, $"  val {v:F4}");
        if (p.Perplexity is { } ppl) line += string.Create(CultureInfo.InvariantCulture, $"  ppl {ppl:F1}");
        if (p.Accuracy is { } acc) line += string.Create(CultureInfo.InvariantCulture, $"  acc {acc:P1}");
        if (p.MacroF1 is { } f1) line += string.Create(CultureInfo.InvariantCulture, $"  macro-F1 {f1:F3}");
        return line;
    }
}
