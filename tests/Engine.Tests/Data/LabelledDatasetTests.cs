using Planner.Engine.Data;

namespace Planner.Engine.Tests.Data;

public class LabelledDatasetTests
{
    [Fact]
    public void The_sample_reviews_load_with_their_sentiment_labels_and_split_stratified()
    {
        var path = Path.Combine(RepositoryRoot.Path, "data", "sample", "reviews.csv");
        var data = LabelledDataset.FromCsv(path, "text", "sentiment");
        Assert.Equal(212, data.Examples.Count);
        var (train, validation) = data.StratifiedSplit(seed: 4, validationFraction: 0.2);
        Assert.Equal(212, train.Count + validation.Count);
        foreach (var label in data.Labels)
        {
            var share = validation.Count(e => e.Label == label) / (double)data.Examples.Count(e => e.Label == label);
            Assert.InRange(share, 0.1, 0.3);
        }
        Assert.Equal(validation, data.StratifiedSplit(seed: 4, validationFraction: 0.2).Validation);
    }

    [Fact]
    public void A_csv_without_the_named_columns_is_refused_naming_the_columns_it_has()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("r.csv", "id,body,stars\n1,nice,5\n");
        var error = Assert.Throws<CorpusException>(() => LabelledDataset.FromCsv(file, "text", "label"));
        Assert.Contains("'text' or 'label'", error.Message);
        Assert.Contains("id, body, stars", error.Message);
    }

    [Fact]
    public void A_single_class_label_set_is_refused()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("r.csv", "text,label\ngood,pos\ngreat,pos\n");
        var error = Assert.Throws<CorpusException>(() => LabelledDataset.FromCsv(file));
        Assert.Contains("two classes", error.Message);
    }
}
