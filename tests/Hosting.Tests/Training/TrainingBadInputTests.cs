using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Planner.Llm;
using Planner.Hosting.Training;
using Planner.Files;

namespace Planner.Hosting.Tests.Training;

/// <summary>Requests a founder can get wrong are refused with a sentence that says what to do, before anything is queued.</summary>
public sealed class TrainingBadInputTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "planner-bad-input-tests", Guid.NewGuid().ToString("N"));
    private readonly TrainingJobs jobs;
    private readonly LanguageModelRuntime runtime;

    public TrainingBadInputTests()
    {
        var paths = new PlannerPaths(directory);
        runtime = new LanguageModelRuntime(new ModelRegistry([paths.ExportedModelsDirectory]));
        jobs = new TrainingJobs(paths, new ModelExport(paths, runtime), NullLogger<TrainingJobs>.Instance); // not started: nothing trains
        Directory.CreateDirectory(directory);
    }

    public void Dispose()
    {
        jobs.Dispose();
        runtime.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private string File(string name, string content)
    {
        var path = Path.Combine(directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private string Refused(TrainingRequest request)
    {
        var error = Assert.Throws<ArgumentException>(() => jobs.Enqueue(request));
        Assert.Empty(jobs.All);
        return error.Message;
    }

    [Fact]
    public void No_data_chosen_is_refused()
    {
        Assert.Contains("There is no data to train on (your documents)", Refused(new TrainingRequest(Path.Combine(directory, "none"), "your documents")));
        Directory.CreateDirectory(Path.Combine(directory, "empty"));
        Assert.Contains("holds no readable text", Refused(new TrainingRequest(Path.Combine(directory, "empty"), "your documents")));
    }

    [Fact]
    public void Data_too_small_for_one_context_says_how_much_more_is_needed()
    {
        var folder = Path.GetDirectoryName(File("small/notes.md", "We sell bookkeeping software to small accounting firms."))!;
        File("small/more.md", "Customers ask for bank feeds.");
        var message = Refused(new TrainingRequest(folder, "two notes") { Context = 256 });
        Assert.Matches(@"one context of 256 needs at least 257\. Add about [\d,]+ more characters", message);
    }

    [Fact]
    public void A_reviews_csv_without_labels_offers_labelling_or_an_existing_classifier()
    {
        var csv = File("unlabelled.csv", "id,text\n1,Great app\n2,Import broke again\n");
        var message = Refused(new TrainingRequest(csv, "unlabelled.csv") { Task = TrainingTask.Classifier, LabelColumn = "sentiment" });
        Assert.Contains("unlabelled.csv has no labels to learn from (columns: id, text)", message);
        Assert.Contains("Label the reviews first", message);
        Assert.Contains("classify them with an existing classifier", message);
        Assert.Empty(TrainingCorpus.LabelColumns(csv));
    }

    [Fact]
    public void A_label_column_with_one_class_is_refused()
    {
        var csv = File("one-class.csv", "text,sentiment\nGreat app,positive\nLove it,positive\nSuper,positive\n");
        var message = Refused(new TrainingRequest(csv, "one-class.csv") { Task = TrainingTask.Classifier, LabelColumn = "sentiment" });
        Assert.Contains("has the label 'positive': a classifier needs at least two classes", message);
    }

    [Fact]
    public void A_class_with_one_example_is_refused_by_name()
    {
        var csv = File("one-example.csv", "text,sentiment\nGreat app,positive\nLove it,positive\nBroke again,negative\nSlow,negative\nIt is ok,neutral\n");
        var message = Refused(new TrainingRequest(csv, "one-example.csv") { Task = TrainingTask.Classifier, LabelColumn = "sentiment" });
        Assert.StartsWith("'neutral' has only one example: a classifier needs at least two of each class", message);
    }

    [Fact]
    public void A_base_model_that_is_not_gpt2_is_refused()
    {
        var docs = Path.Combine(AppContext.BaseDirectory, "sample", "docs");
        var header = Encoding.UTF8.GetBytes("""{"encoder.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""");
        var other = Path.Combine(directory, "bert.safetensors");
        System.IO.File.WriteAllBytes(other, [.. BitConverter.GetBytes((long)header.Length), .. header, .. new byte[16]]);
        Assert.Contains("bert.safetensors is not a GPT-2 model", Refused(new TrainingRequest(docs, "sample") { BaseModel = other }));

        var text = File("notes.safetensors", "just some text, not weights");
        Assert.Contains("notes.safetensors is truncated or not a safetensors file", Refused(new TrainingRequest(docs, "sample") { BaseModel = text }));
    }

    [Fact]
    public void Settings_out_of_range_are_named()
    {
        var docs = Path.Combine(AppContext.BaseDirectory, "sample", "docs");
        var message = Refused(new TrainingRequest(docs, "sample", Steps: 0, Batch: 100, LearningRate: 1) { Context = 300 });
        Assert.Contains("Steps must be between 1 and 100,000.", message);
        Assert.Contains("Batch must be between 1 and 64.", message);
        Assert.Contains("The learning rate must be above 0 and at most 0.1.", message);
        Assert.Contains("a multiple of 256", message);
    }

    [Theory]
    [InlineData(0, null, null, "Layers must be between 1 and 48.")]
    [InlineData(null, 128, null, "Heads must be between 1 and 64.")]
    [InlineData(null, null, 48, "The width must be a multiple of 32 from 32 to 2048.")]
    [InlineData(null, null, 4096, "The width must be a multiple of 32 from 32 to 2048.")]
    [InlineData(null, 3, null, "A width of 256 does not divide into 3 heads.")] // the tiny preset's width
    [InlineData(1, 5, 64, "A width of 64 does not divide into 5 heads.")]
    public void A_shape_the_model_cannot_take_is_named(int? layers, int? heads, int? width, string problem)
    {
        var docs = Path.Combine(AppContext.BaseDirectory, "sample", "docs");
        Assert.Equal(problem, Refused(new TrainingRequest(docs, "sample") { Layers = layers, Heads = heads, Width = width }));
    }

    [Fact]
    public void A_base_model_keeps_its_shape_so_a_shape_override_with_it_is_refused()
    {
        var docs = Path.Combine(AppContext.BaseDirectory, "sample", "docs");
        var message = Refused(new TrainingRequest(docs, "sample") { BaseModel = File("base/model.safetensors", "not read"), Width = 64 });
        Assert.Contains("A base model keeps its own shape: leave layers, heads and width unset, or train from scratch.", message);
    }
}
