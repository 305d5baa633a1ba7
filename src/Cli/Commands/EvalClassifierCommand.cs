using System.CommandLine;
using System.Text.Json;
using Planner.Engine.Evaluation;
using Planner.Engine.Training;
using Planner.Hosting.Training;

namespace Planner.Cli.Commands;

/// <summary><c>planner eval-classifier</c>: accuracy, macro-F1 and confusion matrix of a classifier on a labelled CSV, as JSON.</summary>
public static class EvalClassifierCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = ModelCommandOptions.Required("--checkpoint", "A classifier checkpoint folder, or its training run's folder.");
        var data = ModelCommandOptions.Required("--data", "A CSV with text and label columns.");
        var textColumn = ModelCommandOptions.TextColumn();
        var labelColumn = new Option<string>("--label-column") { Description = "Column holding the label.", DefaultValueFactory = _ => "label" };
        var command = new Command("eval-classifier", "Evaluate a classifier: {accuracy, macroF1, labels, confusionMatrix, examples}.") { checkpoint, data, textColumn, labelColumn };
        command.SetAction((parsed, ct) => ModelCommandOptions.Run(stderr, parsed, trainingProcess: false, async _ =>
        {
            var (model, metadata) = CheckpointModels.LoadClassifier(await ModelCommandOptions.CheckpointAsync(stderr, parsed.GetValue(checkpoint)!));
            using (model)
            {
                var dataset = TrainingCorpus.ReadLabelled(parsed.GetValue(data)!, parsed.GetValue(textColumn)!, parsed.GetValue(labelColumn)!);
                var report = ClassifierEvaluator.Evaluate(model, dataset.Examples, metadata.Labels!, metadata.Model.ContextLength);
                await stdout.WriteLineAsync(JsonSerializer.Serialize(report, Json));
                return ExitCodes.Ok;
            }
        }));
        return command;
    }
}
