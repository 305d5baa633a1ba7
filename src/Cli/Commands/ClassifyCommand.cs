using System.CommandLine;
using System.Globalization;
using System.Text;
using Planner.Engine.Evaluation;
using Planner.Engine.Training;
using Planner.Files;
using Planner.Hosting.Training;

namespace Planner.Cli.Commands;

/// <summary><c>planner classify</c>: labels every row of a CSV and writes the predictions with their probabilities.</summary>
public static class ClassifyCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = ModelCommandOptions.Required("--checkpoint", "A classifier checkpoint folder, or its training run's folder.");
        var data = ModelCommandOptions.Required("--data", "A CSV with a text column.");
        var textColumn = ModelCommandOptions.TextColumn();
        var output = new Option<string?>("--out") { Description = "Write the predictions CSV here (atomically) instead of standard output." };
        var command = new Command("classify", "Classify texts: CSV of text, predicted label and one probability column per label.") { checkpoint, data, textColumn, output };
        command.SetAction((parsed, ct) => ModelCommandOptions.Run(stderr, parsed, trainingProcess: false, async _ =>
        {
            var (model, metadata) = CheckpointModels.LoadClassifier(await ModelCommandOptions.CheckpointAsync(stderr, parsed.GetValue(checkpoint)!));
            using (model)
            {
                var dataset = TrainingCorpus.ReadLabelled(parsed.GetValue(data)!, parsed.GetValue(textColumn)!, requireLabels: false);
                var labels = metadata.Labels!;
                var texts = dataset.Examples.Select(e => e.Text).ToList();
                var predictions = ClassifierEvaluator.Predict(model, texts, labels, metadata.Model.ContextLength);

                var csv = new StringBuilder();
                csv.AppendLine(string.Join(",", FixedColumns.Concat(labels.Select(l => $"p_{l}")).Select(Quote)));
                for (var i = 0; i < texts.Count; i++)
                    csv.AppendLine(string.Join(",", new[] { Quote(texts[i]), Quote(predictions[i].Label) }
                        .Concat(predictions[i].Probabilities.Select(p => p.ToString("0.####", CultureInfo.InvariantCulture)))));
                if (parsed.GetValue(output) is { } outPath)
                {
                    await AtomicFile.WriteAllBytesAsync(Path.GetFullPath(outPath), Encoding.UTF8.GetBytes(csv.ToString()), ct);
                    await stderr.WriteLineAsync($"Wrote {texts.Count} predictions to {Path.GetFullPath(outPath)}");
                }
                else
                {
                    await stdout.WriteAsync(csv.ToString());
                }
                return ExitCodes.Ok;
            }
        }));
        return command;
    }

    private static readonly string[] FixedColumns = ["text", "predicted"];

    /// <summary>RFC 4180 quoting, plus a leading apostrophe for cells a spreadsheet would run as a formula.</summary>
    private static string Quote(string value)
    {
        if (value.Length > 0 && "=+-@".Contains(value[0])) value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
