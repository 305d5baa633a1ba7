using Planner.Engine.Data;
using Planner.Engine.Evaluation;

namespace Planner.Engine.Tests.Evaluation;

public class EncoderClassifierTests
{
    private static readonly string[] Billing = ["the invoice total was wrong", "I was charged twice this month", "refund for the duplicate payment please", "the price went up without notice", "my card was billed after I cancelled", "the subscription fee is too high"];
    private static readonly string[] Sync = ["the bank feed stopped importing", "transactions are missing after the import", "the connection to the ledger keeps dropping", "data did not come across from the accounting system", "the nightly import failed again", "records are duplicated after syncing"];

    private static List<LabelledExample> Examples() =>
        [.. Billing.Select(t => new LabelledExample(t, "billing")).Concat(Sync.Select(t => new LabelledExample(t, "sync")))];

    [Fact]
    public void The_pretrained_encoder_classifies_texts_that_share_no_word_with_its_training_texts()
    {
        string[] unseen = ["costs far more than we budgeted", "overcharged by a large amount", "QuickBooks entries never appear in our books", "nothing transfers between both programs"];
        var taught = Examples().SelectMany(e => Words(e.Text)).ToHashSet();
        Assert.All(unseen, t => Assert.DoesNotContain(Words(t), taught.Contains)); // a word-counting model has nothing to go on

        var classifier = EncoderClassifier.Train(Examples(), ["billing", "sync"], seed: 1);
        var predictions = classifier.Predict(unseen);
        Assert.Equal(["billing", "billing", "sync", "sync"], predictions.Select(p => p.Label));
        Assert.All(predictions, p => Assert.Equal(1.0, p.Probabilities.Sum(), 3));
        Assert.Equal(1.0, classifier.Evaluate(Examples()).Accuracy);
    }

    [Fact]
    public void A_saved_encoder_classifier_loads_back_with_the_same_labels_and_predictions()
    {
        var folder = Path.Combine(Path.GetTempPath(), "encoder-" + Guid.NewGuid().ToString("N"));
        try
        {
            var classifier = EncoderClassifier.Train(Examples(), ["billing", "sync"], seed: 1);
            Assert.False(EncoderClassifier.Exists(folder));
            classifier.Save(folder);
            Assert.True(EncoderClassifier.Exists(folder));
            var loaded = EncoderClassifier.Load(folder);
            string[] texts = ["charged twice", "the import failed", "neither here nor there"];
            Assert.Equal(classifier.Labels, loaded.Labels);
            Assert.Equal(classifier.Predict(texts).Select(p => p.Probabilities), loaded.Predict(texts).Select(p => p.Probabilities));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_same_data_and_seed_train_the_same_encoder_classifier()
    {
        string[] texts = ["the bill is wrong", "sync broke"];
        var first = EncoderClassifier.Train(Examples(), ["billing", "sync"], seed: 4).Predict(texts);
        var second = EncoderClassifier.Train(Examples(), ["billing", "sync"], seed: 4).Predict(texts);
        Assert.Equal(first.Select(p => p.Probabilities), second.Select(p => p.Probabilities));
    }

    [Fact]
    public void A_label_without_a_training_example_is_refused()
    {
        var error = Assert.Throws<CorpusException>(() => EncoderClassifier.Train(Examples(), ["billing", "praise", "sync"], seed: 1));
        Assert.Contains("praise", error.Message);
    }

    [Fact]
    public void Embeddings_are_unit_vectors_whose_similarity_follows_meaning_and_a_huge_text_is_read_only_to_its_limit()
    {
        var huge = "The import failed. " + new string('x', 1_000_000);
        var vectors = SentenceEmbeddings.Encode(["the payment screen errors out", "billing crashes when I add a card", "what a lovely sunny afternoon", huge, "", "🙂" + new string('a', SentenceEmbeddings.MaxCharacters - 2) + "🙂"]);
        Assert.All(vectors, v => Assert.Equal(SentenceEmbeddings.Dimensions, v.Length));
        Assert.Equal(1.0, Math.Sqrt(vectors[0].Sum(x => (double)x * x)), 3);
        Assert.True(Dot(vectors[0], vectors[1]) > Dot(vectors[0], vectors[2]) + 0.2, "two ways of saying billing fails are closer than an unrelated sentence");
        Assert.Equal(SentenceEmbeddings.Encode(["The import failed. " + new string('x', SentenceEmbeddings.MaxCharacters - 19)])[0], vectors[3]);
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();

    private static string[] Words(string text) =>
        text.ToLowerInvariant().Split([' ', ',', '.'], StringSplitOptions.RemoveEmptyEntries);
}
