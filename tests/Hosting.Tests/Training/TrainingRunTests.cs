using System.Text.RegularExpressions;
using Planner.Engine.Export;
using Planner.Engine.Model;
using Planner.Engine.Training;
using Planner.Hosting.Training;

namespace Planner.Hosting.Tests.Training;

/// <summary>The one training run both hosts use: its plan from a request, and how it ends.</summary>
public class TrainingRunTests
{
    private static string SampleDocs => RepositoryRoot.SampleData("docs");

    [Fact]
    public void A_request_leaves_nothing_to_the_entry_point_every_unset_value_comes_from_the_shared_defaults()
    {
        var plan = TrainingPlan.For(new TrainingRequest(SampleDocs, "sample", Steps: 60) { Context = 256 });
        Assert.Equal(TrainingDefaults.Seed, plan.Training.Seed);
        Assert.Equal((TrainingDefaults.LanguageModelBatch, TrainingDefaults.LanguageModelLearningRate), (plan.Training.BatchSize, plan.Training.LearningRate));
        Assert.Equal((6, 10, 10), (plan.Training.WarmupSteps, plan.Training.EvaluationInterval, plan.Training.CheckpointInterval));
        Assert.Equal(plan.Training.LearningRate / 10, plan.Training.MinLearningRate);
        Assert.Equal(256, plan.Model.ContextLength);

        var classifier = TrainingPlan.For(new TrainingRequest(RepositoryRoot.SampleData("reviews.csv"), "reviews") { Task = TrainingTask.Classifier });
        Assert.Equal((TrainingDefaults.Steps, TrainingDefaults.ClassifierBatch, TrainingDefaults.ClassifierLearningRate),
            (classifier.Training.MaxSteps, classifier.Training.BatchSize, classifier.Training.LearningRate));
        Assert.Equal(int.MaxValue, classifier.Training.EvaluationWindows); // every held-out review is classified
    }

    [Fact]
    public void Layers_heads_and_width_override_the_presets_shape_and_leave_the_rest_of_it()
    {
        var plan = TrainingPlan.For(new TrainingRequest(SampleDocs, "sample", "small") { Layers = 1, Width = 64, Heads = 2 });
        Assert.Equal(GptConfig.Small with { Layers = 1, Embedding = 64, Heads = 2 }, plan.Model);
        Assert.Equal(GptConfig.Tiny with { Layers = 2 }, TrainingPlan.For(new TrainingRequest(SampleDocs, "sample") { Layers = 2 }).Model);
        Assert.Equal(GptConfig.Tiny, TrainingPlan.For(new TrainingRequest(SampleDocs, "sample")).Model);
    }

    [Fact]
    public void A_resumed_plan_keeps_the_checkpoints_settings_and_only_moves_the_end()
    {
        var saved = new CheckpointMetadata(CheckpointMetadata.LanguageModel, TrainingPlan.For(new TrainingRequest(SampleDocs, "s") { Context = 256 }).Model,
            Step: 40, BestValidationLoss: 3.2, EvaluationsWithoutImprovement: 0, Training: new TrainingConfig { MaxSteps = 60, Seed = 9, LearningRate = 1e-3, MinLearningRate = 1e-4 });
        Assert.Equal(saved.Training, TrainingPlan.Resume(saved, steps: null).Training);
        Assert.Equal(saved.Training with { MaxSteps = 90 }, TrainingPlan.Resume(saved, steps: 90).Training);
        Assert.Contains("already at step 40", Assert.Throws<ArgumentException>(() => TrainingPlan.Resume(saved, steps: 40)).Message);
    }

    [Fact]
    public void A_run_whose_loss_stops_being_finite_stops_at_that_step_with_nothing_of_it_written()
    {
        // Past the hosts' limit on purpose: the run itself must stop a diverging model, whatever let it through.
        using var dir = new TempFolder();
        var request = new TrainingRequest(SampleDocs, "sample", Steps: 6, Batch: 1, LearningRate: 1e30) { Context = 256, EvaluationInterval = 100, Seed = 3 }.InSmallShape();
        var steps = new List<long>();
        var error = Assert.Throws<TrainingDivergedException>(() =>
            TrainingRun.Execute(request, new RunFolder(dir.File("run")), resume: false, new TrainingObserver { Step = p => steps.Add(p.Step) }, CancellationToken.None));
        Assert.StartsWith("Training stopped at step 2: the ", error.Message);
        Assert.Contains("Start again with a lower learning rate", error.Message);
        Assert.Equal([1L], steps);
        Assert.Single(File.ReadAllLines(dir.File("run/metrics.jsonl")));
    }

    [Fact]
    public void A_run_tells_its_host_what_it_trains_on_measures_the_start_and_keeps_the_report_in_its_folder()
    {
        using var dir = new TempFolder();
        var run = new RunFolder(dir.File("run"));
        TrainingStart? started = null;
        var reports = new List<EvaluationReport>();
        var outcome = TrainingRun.Execute(new TrainingRequest(SampleDocs, "sample", Steps: 2, Batch: 1) { Context = 256, Device = "cpu" }.InSmallShape(), run, resume: false,
            new TrainingObserver { Started = s => started = s, Report = reports.Add }, CancellationToken.None);

        Assert.Contains("training tokens", started!.DataUsed);
        Assert.StartsWith("1 layer × 32 wide, context 256", started.Model); // the shape asked for (the default is the tiny preset: Layers_heads_and_width_…)
        Assert.Contains("from scratch", started.Model);
        Assert.Null(started.ResumedFromStep);
        Assert.Equal(2, reports.Count); // the "before" half, then the whole
        Assert.Null(reports[0].PerplexityAfter);
        Assert.Equal(outcome.Report, run.ReadReport());
        Assert.Equal(CheckpointChoice.Best, run.BestOrLatest()!.Choice);
        Assert.StartsWith("Finished at step 2", outcome.Summary);
    }

    [Fact]
    public void A_classifiers_batch_learning_rate_and_length_come_from_its_number_of_training_examples()
    {
        var request = new TrainingRequest(RepositoryRoot.SampleData("reviews.csv"), "reviews") { Task = TrainingTask.Classifier };
        var small = TrainingPlan.For(request, trainingExamples: 170).Training;
        Assert.Equal((8, 3e-4), (small.BatchSize, small.LearningRate));
        Assert.Equal((22 * TrainingDefaults.ClassifierEpochs, 22, 22), (small.MaxSteps, small.EvaluationInterval, small.CheckpointInterval)); // 22 steps an epoch
        Assert.Equal(TrainingDefaults.ClassifierPatience, small.EarlyStoppingPatience);
        Assert.True(small.SelectByMacroF1 && small.BalanceClasses);

        var middle = TrainingPlan.For(request, trainingExamples: 1_200).Training;
        Assert.Equal((16, 3e-4 * Math.Sqrt(2)), (middle.BatchSize, middle.LearningRate));
        Assert.Equal((75 * TrainingDefaults.ClassifierEpochs, 75), (middle.MaxSteps, middle.EvaluationInterval));

        var large = TrainingPlan.For(request, trainingExamples: 5_000).Training;
        Assert.Equal((32, 6e-4, 157 * TrainingDefaults.ClassifierEpochs), (large.BatchSize, large.LearningRate, large.MaxSteps));
        Assert.Equal(79, TrainingPlan.For(request with { Accumulate = 2 }, trainingExamples: 5_000).Training.EvaluationInterval); // an epoch of batches of 64
    }

    [Fact]
    public void Steps_batch_and_learning_rate_the_founder_sets_win_over_the_rules_from_the_data()
    {
        var request = new TrainingRequest(RepositoryRoot.SampleData("reviews.csv"), "reviews", Steps: 60, Batch: 4, LearningRate: 1e-3) { Task = TrainingTask.Classifier };
        var plan = TrainingPlan.For(request, trainingExamples: 170).Training;
        Assert.Equal((60, 4, 1e-3, 10), (plan.MaxSteps, plan.BatchSize, plan.LearningRate, plan.EvaluationInterval));
        Assert.True(plan.SelectByMacroF1 && plan.BalanceClasses);
        var onlyBatch = TrainingPlan.For(request with { Steps = null, LearningRate = null, Batch = 32 }, trainingExamples: 170).Training;
        Assert.Equal((6e-4, 6 * TrainingDefaults.ClassifierEpochs), (onlyBatch.LearningRate, onlyBatch.MaxSteps)); // the other rules follow the batch
    }

    [Fact]
    public void Domain_adaptive_pretraining_runs_below_its_threshold_unless_turned_off()
    {
        var request = new TrainingRequest(RepositoryRoot.SampleData("reviews.csv"), "reviews") { Task = TrainingTask.Classifier };
        Assert.Null(DomainPretraining.Skipped(request, TrainingDefaults.DomainPretrainingBelow - 1));
        Assert.Contains("2,000 labelled training examples", DomainPretraining.Skipped(request, TrainingDefaults.DomainPretrainingBelow));
        Assert.Equal("domain-adaptive pretraining was turned off", DomainPretraining.Skipped(request with { DomainPretraining = false }, 10));
        // Automatic: the sentence encoder's distillation from scratch, language-model training from a base model; a choice is kept.
        Assert.Equal(DomainPretrainingMethod.Encoder, request.DomainMethodOrDefault);
        Assert.Equal(DomainPretrainingMethod.LanguageModel, (request with { BaseModel = "base.safetensors" }).DomainMethodOrDefault);
        Assert.Equal(DomainPretrainingMethod.Encoder, (request with { BaseModel = "base.safetensors", DomainMethod = DomainPretrainingMethod.Encoder }).DomainMethodOrDefault);
        Assert.Equal(DomainPretrainingMethod.LanguageModel, (request with { DomainMethod = DomainPretrainingMethod.LanguageModel }).DomainMethodOrDefault);
        Assert.True(DomainPretraining.Applies(request, resumedFrom: null));
        Assert.False(DomainPretraining.Applies(request, resumedFrom: 4));
        Assert.True(DomainPretraining.Applies(request with { BaseModel = "model.safetensors" }, resumedFrom: null));
        Assert.Equal((400, 600, 1_000), (TrainingDefaults.DomainPretrainingSteps(100, 256), TrainingDefaults.DomainPretrainingSteps(30_720, 256),
            TrainingDefaults.DomainPretrainingSteps(10_000_000, 256)));
        Assert.Equal((50, 100, 1_000), (TrainingDefaults.DomainContinuationSteps(100, 256), TrainingDefaults.DomainContinuationSteps(10_240, 256),
            TrainingDefaults.DomainContinuationSteps(10_000_000, 256)));
    }

    [Fact]
    public void A_small_classifier_first_pretrains_on_its_training_texts_and_says_so()
    {
        using var dir = new TempFolder();
        var run = new RunFolder(dir.File("run"));
        TrainingStart? started = null;
        var request = new TrainingRequest(RepositoryRoot.SampleData("reviews.csv"), "reviews.csv", Steps: 2)
        {
            Task = TrainingTask.Classifier, LabelColumn = "sentiment", Device = "cpu", EvaluationInterval = 2, DomainSteps = 4,
            DomainMethod = DomainPretrainingMethod.LanguageModel,
        }.InSmallShape();
        var phases = new List<string>();
        var outcome = TrainingRun.Execute(request, run, resume: false, new TrainingObserver { Started = s => started = s, Phase = phases.Add }, CancellationToken.None);

        var (train, validation, heldOut) = TrainingCorpus.LoadLabelled(request).ThreeWaySplit(TrainingDefaults.Seed);
        Assert.Equal((144, 26, 42), (train.Count, validation.Count, heldOut.Count));
        Assert.Contains("212 labelled texts (negative, neutral, positive); 144 for training, 26 for validation (choosing the checkpoint and the model evidence uses), 42 held out for the report.", started!.DataUsed);
        Assert.Contains("Domain-adaptive pretraining first (144 labelled training examples, below 2,000): language-model training on 144 texts of reviews.csv (the validation and held-out ones left out)", started.DataUsed);
        Assert.EndsWith("from its domain-adaptive pretraining (domain/), pooling the mean of its tokens", started.Model);
        // Its progress was told as it went (the Training page's run card and the CLI show it), before the classifier started.
        Assert.Equal(4, phases.Count);
        for (var step = 1; step <= 4; step++)
            Assert.Matches($@"^Domain-adaptive pretraining: step {step} of 4, validation loss \d+\.\d+; the classifier trains after it\.$", phases[step - 1]);
        var domain = CheckpointStore.ReadMetadata(Path.Combine(run.Directory, DomainPretraining.Folder, "best"));
        Assert.Equal(CheckpointMetadata.LanguageModel, domain.Kind);
        Assert.Equal(TrainingPlan.ModelShape(request), domain.Model);
        Assert.StartsWith("Finished at step 2", outcome.Summary);
    }

    [Fact]
    public void A_small_classifier_can_first_distil_the_sentence_encoder_on_its_texts_and_says_so()
    {
        using var dir = new TempFolder();
        var run = new RunFolder(dir.File("run"));
        TrainingStart? started = null;
        var request = new TrainingRequest(RepositoryRoot.SampleData("reviews.csv"), "reviews.csv", Steps: 2)
        {
            Task = TrainingTask.Classifier, LabelColumn = "sentiment", Device = "cpu", EvaluationInterval = 2, DomainSteps = 3,
            DomainMethod = DomainPretrainingMethod.Encoder,
        }.InSmallShape();
        var phases = new List<string>();
        var outcome = TrainingRun.Execute(request, run, resume: false, new TrainingObserver { Started = s => started = s, Phase = phases.Add }, CancellationToken.None);

        // The 144 training reviews (distinct texts) are taught; a twentieth of them measures the student.
        var taught = TrainingCorpus.LoadLabelled(request).ThreeWaySplit(TrainingDefaults.Seed).Train.Select(e => e.Text.Trim()).Distinct().Count();
        Assert.Matches($@"Domain-adaptive pretraining first \(144 labelled training examples, below 2,000\): the pretrained sentence encoder distilled on 144 texts of reviews.csv \(the validation and held-out ones left out\), {taught} texts, best at step \d of 3; distance from the encoder \(1 − cosine\) on {taught / 20} texts it does not train on \d\.\d+ → \d\.\d+", started!.DataUsed);
        Assert.EndsWith("from its domain-adaptive pretraining (domain/), pooling the mean of its tokens", started.Model);
        Assert.Equal($"Domain-adaptive pretraining: the pretrained sentence encoder reads {taught} texts; the classifier trains after it.", phases[0]);
        Assert.Equal(4, phases.Count);
        for (var step = 1; step <= 3; step++)
            Assert.Matches($@"^Domain-adaptive pretraining: step {step} of 3, distance from the encoder \d\.\d+; the classifier trains after it\.$", phases[step]);
        var domain = CheckpointStore.ReadMetadata(Path.Combine(run.Directory, DomainPretraining.Folder, "best"));
        Assert.Equal(CheckpointMetadata.SentenceStudent, domain.Kind);
        Assert.Equal(TrainingPlan.ModelShape(request), domain.Model);
        Assert.StartsWith("Finished at step 2", outcome.Summary);
    }

    [Fact]
    public void A_documents_passages_are_its_paragraphs_cut_at_whitespace()
    {
        var words = string.Join(' ', Enumerable.Range(0, 300).Select(i => $"word{i}"));
        var passages = DomainPretraining.Passages($"Title\r\n\r\nA first   paragraph\nwith two lines.\n\nToo short\n\n{words}").ToList();
        Assert.Equal("A first paragraph with two lines.", passages[0]);
        Assert.DoesNotContain("Title", passages);
        Assert.DoesNotContain("Too short", passages);
        Assert.All(passages.Skip(1), p => Assert.InRange(p.Length, 1, 1_000));
        Assert.All(passages.Skip(1).SkipLast(1), p => Assert.InRange(p.Length, 990, 1_000)); // cut at the last space before 1,000
        Assert.Equal(words, string.Join(' ', passages.Skip(1)));
        // A review is one text however short; a long one without spaces is cut without splitting a surrogate pair.
        Assert.Equal(["Great app"], DomainPretraining.Pieces(" Great \n app "));
        var emoji = new string('x', 999) + "😀" + new string('y', 500);
        var pieces = DomainPretraining.Pieces(emoji).ToList();
        Assert.Equal((999, emoji), (pieces[0].Length, string.Concat(pieces)));
    }

    [Fact]
    public void A_small_classifier_from_a_base_model_first_continues_the_base_on_its_texts()
    {
        using var dir = new TempFolder();
        var shape = new GptConfig(GptConfig.Gpt2VocabSize, ContextLength: 256, Layers: 1, Heads: 1, Embedding: 64);
        var basePath = dir.File("base.safetensors");
        using (var pretrained = new Gpt(shape, seed: 99)) HuggingFaceGpt2.Save(pretrained, basePath);
        TrainingStart Started(string name, TrainingRequest request)
        {
            TrainingStart? started = null;
            TrainingRun.Execute(request with { Task = TrainingTask.Classifier, LabelColumn = "sentiment", Device = "cpu", EvaluationInterval = 1, DomainSteps = 1,
                    DomainMethod = DomainPretrainingMethod.LanguageModel },
                new RunFolder(dir.File(name)), resume: false, new TrainingObserver { Started = s => started = s }, CancellationToken.None);
            return started!;
        }
        var reviews = new TrainingRequest(RepositoryRoot.SampleData("reviews.csv"), "reviews.csv", Steps: 1);
        var fromBase = Started("from-base", reviews with { BaseModel = basePath });
        var fromScratch = Started("from-scratch", reviews with { Layers = 1, Heads = 1, Width = 64, Context = 256 });

        Assert.Contains("language-model training (continuing base.safetensors) on 144 texts of reviews.csv", fromBase.DataUsed);
        Assert.EndsWith($"from its domain-adaptive pretraining (domain/), which started from {basePath}, pooling the mean of its tokens", fromBase.Model);
        // The language model began from the base's weights, not from the seed's initialisation the run from scratch had.
        static string Before(TrainingStart s) => Regex.Match(s.DataUsed, @"held-out perplexity ([\d.,]+) →").Groups[1].Value;
        Assert.NotEqual("", Before(fromBase));
        Assert.NotEqual(Before(fromScratch), Before(fromBase));
        Assert.DoesNotContain("continuing", fromScratch.DataUsed);
    }
}
