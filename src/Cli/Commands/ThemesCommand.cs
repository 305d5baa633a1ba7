using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Planner.Assistant;
using Planner.Assistant.Labelling;
using Planner.Engine.Evaluation;
using Planner.Hosting.Evidence;
using Planner.Insights;
using Planner.Llm;

namespace Planner.Cli.Commands;

/// <summary><c>planner themes</c>: groups unlabelled customer reviews into themes and prints each with its top terms,
/// its size, its reviews per month and its most typical reviews. Needs no labels and no model; with
/// <c>--name-with-model</c> the chat model also names each theme.</summary>
public static class ThemesCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var reviews = new Option<FileInfo>("--reviews") { Description = "A reviews CSV with a text column (id and date optional; labels are not needed).", Required = true };
        var count = new Option<int?>("--themes") { Description = "How many themes to make (default: chosen from the data, 2 to 8)." };
        var examples = new Option<int>("--examples") { Description = "Typical reviews printed per theme.", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "Print the themes as JSON (every review id of each theme)." };
        var nameWithModel = new Option<bool>("--name-with-model") { Description = "Also ask the chat model (--model, else the active one) for a short name for each theme, from its terms and typical reviews." };
        var model = new Option<string?>("--model") { Description = "A GGUF model file to name the themes with (implies --name-with-model)." };
        var space = new Option<string>("--space")
        {
            Description = "What the reviews are grouped by: encoder (the pretrained sentence encoder's embeddings, where reviews that mean the same are close whatever their words) or terms (their words, TF-IDF and latent semantic analysis).",
            DefaultValueFactory = _ => "encoder",
        };
        space.AcceptOnlyFromAmong("encoder", "terms");
        var command = new Command("themes", "Group customer reviews into themes: top terms, size, reviews per month and typical reviews.")
        {
            reviews, count, examples, json, nameWithModel, model, space, CliOptions.Workspace,
        };
        command.SetAction((parsed, ct) => ModelCommandOptions.Run(stderr, async () =>
        {
            var file = parsed.GetValue(reviews)!;
            if (!file.Exists) return await ImportCommand.Fail(stderr, $"{file.Name}: no such file.");
            if (parsed.GetValue(examples) is < 0 or > 20) return await ImportCommand.Fail(stderr, "--examples must be between 0 and 20.");
            var read = ReviewCsv.Read(await File.ReadAllBytesAsync(file.FullName, ct), file.Name);
            if (!read.Ok) return await ImportCommand.Fail(stderr, read.Error!);
            var report = ReviewThemes.Find(read.Reviews, parsed.GetValue(count), space: parsed.GetValue(space) == "terms" ? ThemeSpace.Terms : ThemeSpace.Encoder);
            if (parsed.GetValue(nameWithModel) || parsed.GetValue(model) is not null)
            {
                using var own = parsed.GetValue(model) is { } gguf ? DraftCommand.Runtime(gguf, 0) : null;
                // Without --model, the active chat model chosen in the data directory's settings (local, or a server).
                await using var services = own is null ? await CliServices.StartAsync(parsed, ct) : null;
                var runtime = own ?? services!.GetRequiredService<LanguageModelRuntime>();
                var backend = (own is not null ? new LocalChatBackendProvider(own).Current(out var problem) : services!.GetRequiredService<IChatBackendProvider>().Current(out problem))
                              ?? throw new ArgumentException(problem);
                await stderr.WriteLineAsync($"Naming {report.Themes.Count} themes with {backend.ModelName}…");
                var (named, problems) = await ReviewThemes.NameWithModelAsync(report, new ThemeNamer(PromptLibrary.Load(PromptLibrary.DefaultFolder)), backend, runtime, ct);
                foreach (var p in problems) await stderr.WriteLineAsync($"planner: warning: {p} The theme keeps its terms' name.");
                report = named;
            }
            await stdout.WriteAsync(parsed.GetValue(json) ? AsJson(report) : AsText(report, read.Reviews.Count, parsed.GetValue(examples)));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string AsText(ReviewThemeReport report, int total, int examples)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{report.Themes.Count} themes in {total} reviews ({report.Method}; Davies–Bouldin index {report.DaviesBouldin:0.00}).\n");
        for (var i = 0; i < report.Themes.Count; i++)
        {
            var theme = report.Themes[i];
            text.Append(CultureInfo.InvariantCulture, $"\n{i + 1}. {theme.ModelName ?? theme.Name} — {theme.Reviews.Count} reviews ({100.0 * theme.Reviews.Count / total:0}%)\n");
            if (theme.ModelName is not null) text.Append(CultureInfo.InvariantCulture, $"   named by {theme.NamedBy}; from its terms: {theme.Name}\n");
            text.Append("   terms: ").Append(string.Join(", ", theme.Terms)).Append('\n');
            if (theme.PerMonth.Count > 0)
            {
                text.Append("   per month: ").Append(string.Join(", ", theme.PerMonth.Select(m => $"{m.Month} {m.Count}")));
                if (theme.Undated > 0) text.Append(CultureInfo.InvariantCulture, $", undated {theme.Undated}");
                text.Append('\n');
            }
            foreach (var review in theme.Reviews.Take(examples))
                text.Append("   ").Append(review.Id).Append(": ").Append(Shorten(review.Text)).Append('\n');
        }
        return text.ToString();
    }

    private static string AsJson(ReviewThemeReport report) => JsonSerializer.Serialize(new
    {
        method = report.Method,
        daviesBouldin = Math.Round(report.DaviesBouldin, 4),
        themes = report.Themes.Select(t => new
        {
            name = t.Name,
            modelName = t.ModelName,
            namedBy = t.NamedBy,
            terms = t.Terms,
            count = t.Reviews.Count,
            perMonth = t.PerMonth.Select(m => new { month = m.Month, count = m.Count }),
            undated = t.Undated,
            reviews = t.Reviews.Select(r => r.Id),
        }),
    }, Json) + "\n";

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 140 ? line : line[..139] + "…";
    }
}
