using Planner.Engine.Model;
using Planner.Engine.Training;

namespace Planner.Cli.Tests.Commands;

public class ModelCommandsTests
{
    /// <summary>The tiny preset overridden to one layer 32 wide: what these tests check does not need a bigger model, and
    /// it trains, evaluates and checkpoints many times faster.</summary>
    private static readonly string[] SmallShape = ["--layers", "1", "--width", "32", "--heads", "2"];

    [Fact]
    public async Task Train_eval_export_model_and_generate_work_end_to_end_on_the_sample_documents()
    {
        using var dir = new TempFolder();
        var train = await CliRun.Of(["train", "--corpus", RepositoryRoot.SampleData("docs"), "--preset", "tiny", .. SmallShape, "--steps", "2", "--batch", "1",
            "--eval-interval", "2", "--seed", "3", "--out", dir.File("run"), "--device", "cpu"]);
        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.Contains("step 2/2", train.Stdout);
        Assert.Contains("Model: 1 layer × 32 wide, context 256,", train.Stdout); // the tiny preset's context, the shape given
        Assert.Contains($"CPU kernels: {Planner.Engine.Native.MklDispatch.Status!.Description}", train.Stdout); // which kernels MKL runs, as configured
        Assert.Contains($"CPU: {Planner.Engine.Native.CpuFeatures.Current.Model} (", train.Stdout); // the processor and its instruction sets
        Assert.Contains(Planner.Engine.Model.TrainingAttention.Description, train.Stdout); // the attention it trains with
        var auto = PrecisionChoice.Resolve("auto", Planner.Engine.Native.CpuFeatures.Current, TorchSharp.DeviceType.CPU);
        Assert.Contains($"Precision: {auto.Describe()}.", train.Stdout); // which precision and why, e.g. "float32 (auto: this CPU has no AVX-512 BF16 or AMX)"
        Assert.Equal(auto.Precision, CheckpointStore.ReadMetadata(dir.File("run/checkpoint")).Training.Precision);
        Assert.Equal(2, File.ReadAllLines(dir.File("run/metrics.jsonl")).Length);

        var eval = await CliRun.Of("eval", "--checkpoint", dir.File("run/checkpoint"), "--corpus", RepositoryRoot.SampleData("docs"));
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.InRange(eval.Json.GetProperty("loss").GetDouble(), 1, 12);
        Assert.True(eval.Json.GetProperty("tokens").GetInt64() > 1000);

        // Every command that takes a checkpoint takes the run's folder too, and says which checkpoint stood for it.
        var export = await CliRun.Of("export-model", "--checkpoint", dir.File("run"), "--out", dir.File("model.gguf"), "--dtype", "q8_0");
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.Equal($"planner: using the run's best checkpoint (step 2), {dir.File("run/best")}", export.Stderr.Trim());

        var fromGguf = await CliRun.Of("generate", "--model", dir.File("model.gguf"), "--prompt", "Customers want", "--max-tokens", "5", "--seed", "1");
        Assert.True(fromGguf.ExitCode == 0, fromGguf.Stderr);
        Assert.StartsWith("Customers want", fromGguf.Stdout);


        var tuned = await CliRun.Of("train", "--corpus", RepositoryRoot.SampleData("docs"), "--init", dir.File("run"), "--steps", "1", "--batch", "1",
            "--out", dir.File("tuned"), "--device", "cpu");
        Assert.True(tuned.ExitCode == 0, tuned.Stderr);
        Assert.Contains($"from {dir.File("run")}.", tuned.Stdout); // fine-tuned from the run's best checkpoint

        var fromCheckpoint = await CliRun.Of("generate", "--checkpoint", dir.File("run"), "--prompt", "Customers want", "--max-tokens", "5", "--seed", "1");
        Assert.True(fromCheckpoint.ExitCode == 0, fromCheckpoint.Stderr);
        Assert.StartsWith("Customers want", fromCheckpoint.Stdout);
    }

    [Fact]
    public async Task A_k_quant_export_goes_through_llama_cpps_quantiser_and_is_smaller_than_q8_0_and_generates()
    {
        // One layer of the tiny preset's width: llama.cpp's k-quants need rows a multiple of 256 wide (narrower rows fall
        // back to legacy types, no smaller than Q8_0). Quantising does not need trained weights, so the checkpoint is
        // written as the trainer writes one, before any step.
        using var dir = new TempFolder();
        var config = GptConfig.Tiny with { Layers = 1 };
        using (var model = new Gpt(config, seed: 3))
            new CheckpointStore().Save(dir.File("checkpoint"), new CheckpointMetadata(CheckpointMetadata.LanguageModel, config, Step: 0,
                BestValidationLoss: null, EvaluationsWithoutImprovement: 0, new TrainingConfig()), model);

        var q8 = await CliRun.Of("export-model", "--checkpoint", dir.File("checkpoint"), "--out", dir.File("model.gguf"), "--dtype", "q8_0");
        Assert.True(q8.ExitCode == 0, q8.Stderr);
        var quantized = await CliRun.Of("export-model", "--checkpoint", dir.File("checkpoint"), "--out", dir.File("model-q4.gguf"), "--dtype", "q4_k_m");
        Assert.True(quantized.ExitCode == 0, quantized.Stderr);
        Assert.True(new FileInfo(dir.File("model-q4.gguf")).Length < new FileInfo(dir.File("model.gguf")).Length);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
        var fromQ4 = await CliRun.Of("generate", "--model", dir.File("model-q4.gguf"), "--prompt", "Customers want", "--max-tokens", "5", "--seed", "1");
        Assert.True(fromQ4.ExitCode == 0, fromQ4.Stderr);
        Assert.StartsWith("Customers want", fromQ4.Stdout);
    }

    [Fact]
    public async Task Resume_keeps_the_saved_settings_refuses_others_and_trains_longer_when_given_more_steps()
    {
        using var dir = new TempFolder();
        string[] Train(params string[] extra) => ["train", "--corpus", RepositoryRoot.SampleData("docs"), "--out", dir.File("run"), .. extra];
        var first = await CliRun.Of(Train([.. SmallShape, "--steps", "2", "--batch", "1", "--eval-interval", "2", "--seed", "3"]));
        Assert.True(first.ExitCode == 0, first.Stderr);

        var changed = await CliRun.Of(Train("--resume", "--batch", "4", "--lr", "0.1", "--seed", "3", "--preset", "small", "--heads", "2", "--width", "64"));
        Assert.Equal(1, changed.ExitCode);
        Assert.Equal("planner: --preset small (the checkpoint is 1 layer × 32 wide), --width 64 (the checkpoint has 32), --batch 4 (the checkpoint has 1), " +
                     "--lr 0.1 (the checkpoint has 0.0006): a resumed run keeps the checkpoint's settings; only --steps can change (to train longer).", changed.Stderr.Trim());

        // The first command repeated with --resume and more steps: the same settings are fine.
        var longer = await CliRun.Of(Train([.. SmallShape, "--resume", "--steps", "4", "--batch", "1", "--eval-interval", "2", "--seed", "3", "--preset", "tiny"]));
        Assert.True(longer.ExitCode == 0, longer.Stderr);
        Assert.Contains("Resuming from step 2, now to step 4 (was 2), with the saved settings; the learning-rate schedule is stretched to end at step 4.", longer.Stdout);
        Assert.Contains("Finished at step 4", longer.Stdout);
        Assert.Equal(4, File.ReadAllLines(dir.File("run/metrics.jsonl")).Length);

        var shorter = await CliRun.Of(Train("--resume", "--steps", "3"));
        Assert.Equal(1, shorter.ExitCode);
        Assert.Equal("planner: --steps 3: the checkpoint is already at step 4; give a larger number to train longer.", shorter.Stderr.Trim());
        Assert.Equal(4, File.ReadAllLines(dir.File("run/metrics.jsonl")).Length); // nothing changed
    }

    [Fact]
    public async Task A_learning_rate_above_the_shared_limit_is_refused_before_anything_is_written()
    {
        // The same limit as the Training page (one validation for every host); a run that still diverges stops at the
        // step it happens (TrainingRunTests).
        using var dir = new TempFolder();
        var run = await CliRun.Of("train", "--corpus", RepositoryRoot.SampleData("docs"), "--preset", "tiny", "--steps", "6", "--batch", "1",
            "--lr", "1e30", "--eval-interval", "100", "--seed", "3", "--out", dir.File("run"), "--device", "cpu");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("planner: The learning rate must be above 0 and at most 0.1.", run.Stderr.Trim());
        Assert.False(Directory.Exists(dir.File("run")));
    }

    [Fact]
    public async Task A_shape_the_model_cannot_take_or_a_shape_beside_init_is_refused_before_anything_is_written()
    {
        using var dir = new TempFolder();
        var odd = await CliRun.Of("train", "--corpus", RepositoryRoot.SampleData("docs"), "--width", "48", "--heads", "5", "--out", dir.File("run"));
        Assert.Equal(1, odd.ExitCode);
        Assert.Equal("planner: The width must be a multiple of 32 from 32 to 2048. A width of 48 does not divide into 5 heads.", odd.Stderr.Trim());

        var withInit = await CliRun.Of("train", "--corpus", RepositoryRoot.SampleData("docs"), "--init", dir.File("earlier-run"), "--layers", "2", "--out", dir.File("run"));
        Assert.Equal(1, withInit.ExitCode);
        Assert.Contains("A base model keeps its own shape", withInit.Stderr);
        Assert.False(Directory.Exists(dir.File("run")));
    }

    [Fact]
    public async Task Training_on_an_empty_corpus_exits_1_saying_how_much_text_is_needed()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.File("empty"));
        var run = await CliRun.Of("train", "--corpus", dir.File("empty"), "--out", dir.File("run"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("257 tokens", run.Stderr);
        Assert.Single(run.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Generating_from_a_corrupted_gguf_exits_1_instead_of_crashing()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("bad.gguf"), [.. "GGUF"u8.ToArray(), 3, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]);
        var run = await CliRun.Of("generate", "--model", dir.File("bad.gguf"), "--prompt", "hi");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("planner: ", run.Stderr);
    }

    [Fact]
    public async Task Model_commands_refuse_a_folder_that_is_not_a_checkpoint()
    {
        using var dir = new TempFolder();
        foreach (var args in new[]
        {
            new[] { "export-model", "--checkpoint", dir.Path, "--out", dir.File("m.gguf") },
            ["eval", "--checkpoint", dir.Path, "--corpus", RepositoryRoot.SampleData("docs")],
            ["classify", "--checkpoint", dir.Path, "--data", RepositoryRoot.SampleData("reviews.csv")],
        })
        {
            var run = await CliRun.Of(args);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("is neither a checkpoint", run.Stderr);
        }
    }

    [Fact]
    public async Task A_choice_option_outside_its_choices_names_them_and_starts_nothing()
    {
        using var dir = new TempFolder();
        foreach (var (option, value, choices) in new[]
        {
            ("--domain-method", "distil", "auto, languagemodel, encoder"),
            ("--domain-method", "2", "auto, languagemodel, encoder"),
            ("--pooling", "first", "last, mean"),
            ("--pooling", "last,mean", "last, mean"), // not a flags value
            ("--domain-method", "+0", "auto, languagemodel, encoder"),
        })
        {
            var run = await CliRun.Of("train-classifier", "--data", RepositoryRoot.SampleData("reviews.csv"), "--label-column", "sentiment", option, value, "--out", dir.File("c"));
            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains($"'{value}' is not a choice of {option}: {choices}.", run.Stderr);
            Assert.DoesNotContain("Planner.", run.Stderr); // no type names
            Assert.False(Directory.Exists(dir.File("c")), "nothing was trained");
        }

        // The choices in any case reach the run: language-model pretraining and last-token pooling, as asked.
        var chosen = await CliRun.Of(["train-classifier", "--data", RepositoryRoot.SampleData("reviews.csv"), "--label-column", "sentiment", .. SmallShape,
            "--steps", "1", "--batch", "4", "--domain-steps", "1", "--domain-method", "LanguageModel", "--pooling", "LAST", "--out", dir.File("chosen"), "--device", "cpu"]);
        Assert.True(chosen.ExitCode == 0, chosen.Stderr);
        Assert.Contains("): language-model training on 144 texts of reviews.csv", chosen.Stdout);
        Assert.Contains("pooling the last token", chosen.Stdout);
    }

    [Fact]
    public async Task Classifier_training_refuses_missing_columns_and_single_class_labels()
    {
        using var dir = new TempFolder();
        var missing = await CliRun.Of("train-classifier", "--data", RepositoryRoot.SampleData("reviews.csv"), "--out", dir.File("c"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("reviews.csv has no labels to learn from", missing.Stderr);

        var single = await CliRun.Of("train-classifier", "--data", dir.Write("one.csv", "text,label\ngood,pos\nfine,pos\n"), "--out", dir.File("c"));
        Assert.Equal(1, single.ExitCode);
        Assert.Contains("two classes", single.Stderr);
    }

    [Fact]
    public async Task Classifier_training_evaluation_and_classification_run_on_the_sample_reviews()
    {
        using var dir = new TempFolder();
        string[] command = ["train-classifier", "--data", RepositoryRoot.SampleData("reviews.csv"), "--label-column", "sentiment", "--preset", "tiny",
            .. SmallShape, "--batch", "4", "--eval-interval", "2", "--domain-steps", "2", "--out", dir.File("c"), "--device", "cpu"];
        var train = await CliRun.Of([.. command, "--steps", "2"]);
        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.Contains("macro-F1", train.Stdout);
        Assert.Contains("Domain-adaptive pretraining first (144 labelled training examples, below 2,000): the pretrained sentence encoder distilled on 144 texts", train.Stdout);
        Assert.Contains("144 for training, 26 for validation (choosing the checkpoint and the model evidence uses), 42 held out for the report.", train.Stdout);
        Assert.Contains("GPT-2  baseline  combined   encoder", train.Stdout);
        Assert.Contains("encoder − baseline", train.Stdout);
        Assert.Contains("Validation (26 texts, where the choice is made): macro-F1 GPT-2 ", train.Stdout);
        Assert.Matches(@"Evidence uses (the pretrained encoder|the baseline|the GPT-2 classifier|GPT-2 and the baseline combined): .* on the 26 validation texts", train.Stdout);

        Assert.True(File.Exists(dir.File("c/report.json")), "the run's evaluation report, as the Training page writes it");

        // The run's folder where a checkpoint is asked for: its best checkpoint is used, and the command says so.
        var eval = await CliRun.Of("eval-classifier", "--checkpoint", dir.File("c"), "--data", RepositoryRoot.SampleData("reviews.csv"), "--label-column", "sentiment");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.Equal($"planner: using the run's best checkpoint (step 2), {dir.File("c/best")}", eval.Stderr.Trim());
        Assert.Equal(212, eval.Json.GetProperty("examples").GetInt32());
        Assert.Equal(212, eval.Json.GetProperty("confusionMatrix").EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetInt32()));

        var classify = await CliRun.Of("classify", "--checkpoint", dir.File("c"), "--data", RepositoryRoot.SampleData("reviews.csv"), "--out", dir.File("predictions.csv"));
        Assert.True(classify.ExitCode == 0, classify.Stderr);
        var lines = File.ReadAllLines(dir.File("predictions.csv"));
        Assert.Equal("text,predicted,p_negative,p_neutral,p_positive", lines[0]);
        Assert.True(lines.Length > 212);

        // Resumed: another pooling is refused like any other setting; domain-adaptive pretraining's options are said to
        // go unused (it ran before the first step).
        var pooling = await CliRun.Of([.. command, "--steps", "2", "--resume", "--pooling", "last"]);
        Assert.Equal(1, pooling.ExitCode);
        Assert.Contains("--pooling last (the checkpoint has mean): a resumed run keeps the checkpoint's settings", pooling.Stderr);
        var resumed = await CliRun.Of([.. command, "--resume", "--steps", "3", "--domain-method", "languagemodel", "--documents", dir.File("none.txt")]);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("(Domain-adaptive pretraining's options are not used when resuming: it ran before the run's first step.)", resumed.Stdout);
        Assert.DoesNotContain("Domain-adaptive pretraining first", resumed.Stdout);
    }

    [Fact]
    public async Task Options_of_domain_adaptive_pretraining_with_it_turned_off_are_refused_and_start_nothing()
    {
        using var dir = new TempFolder();
        var run = await CliRun.Of("train-classifier", "--data", RepositoryRoot.SampleData("reviews.csv"), "--label-column", "sentiment",
            "--no-domain-pretraining", "--domain-method", "encoder", "--domain-steps", "5", "--documents", dir.File("none.txt"), "--out", dir.File("c"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--documents, --domain-steps, --domain-method: domain-adaptive pretraining is off (--no-domain-pretraining); leave them out, or turn it on.", run.Stderr);
        Assert.False(Directory.Exists(dir.File("c")), "nothing was trained");
    }
}
