using Planner.Engine.Data;
using Planner.Engine.Evaluation;

namespace Planner.Engine.Tests.Evaluation;

public class BaselineClassifierTests
{
    private static readonly string[] Good = ["love the invoices", "great reminders", "the sync is great", "love it", "great support team", "fast and great"];
    private static readonly string[] Bad = ["sync broke again", "the export is broken", "slow and broken", "crashes every day", "broken login", "it crashes"];

    private static List<LabelledExample> Examples() =>
        [.. Good.Select(t => new LabelledExample(t, "positive")).Concat(Bad.Select(t => new LabelledExample(t, "negative")))];

    [Fact]
    public void The_baseline_learns_words_that_separate_the_labels_and_gives_probabilities_in_label_order()
    {
        var baseline = BaselineClassifier.Train(Examples(), ["negative", "positive"], seed: 1);
        var predictions = baseline.Predict(["great and fast", "broken, it crashes"]);
        Assert.Equal(["positive", "negative"], predictions.Select(p => p.Label));
        Assert.True(predictions[0].Probabilities[1] > predictions[0].Probabilities[0], "the probabilities follow the label order given");
        Assert.All(predictions, p => Assert.Equal(1.0, p.Probabilities.Sum(), 3));
        Assert.Equal(1.0, baseline.Evaluate(Examples()).Accuracy);
    }

    [Fact]
    public void A_saved_baseline_loads_back_with_the_same_labels_and_predictions()
    {
        var folder = Path.Combine(Path.GetTempPath(), "baseline-" + Guid.NewGuid().ToString("N"));
        try
        {
            var baseline = BaselineClassifier.Train(Examples(), ["negative", "positive"], seed: 1);
            Assert.False(BaselineClassifier.Exists(folder));
            baseline.Save(folder);
            Assert.True(BaselineClassifier.Exists(folder));
            var loaded = BaselineClassifier.Load(folder);
            string[] texts = ["great reminders", "the export crashes", "neither here nor there"];
            Assert.Equal(baseline.Labels, loaded.Labels);
            Assert.Equal(baseline.Predict(texts).Select(p => p.Probabilities), loaded.Predict(texts).Select(p => p.Probabilities));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_same_data_and_seed_train_the_same_baseline()
    {
        string[] texts = ["sync is great", "broken again"];
        var first = BaselineClassifier.Train(Examples(), ["negative", "positive"], seed: 4).Predict(texts);
        var second = BaselineClassifier.Train(Examples(), ["negative", "positive"], seed: 4).Predict(texts);
        Assert.Equal(first.Select(p => p.Probabilities), second.Select(p => p.Probabilities));
    }

    [Fact]
    public void A_label_without_a_training_example_is_refused()
    {
        var error = Assert.Throws<CorpusException>(() => BaselineClassifier.Train(Examples(), ["negative", "neutral", "positive"], seed: 1));
        Assert.Contains("neutral", error.Message);
    }
}
