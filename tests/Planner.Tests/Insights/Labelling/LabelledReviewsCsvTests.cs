using System.Text;
using Planner.Insights;
using Planner.Insights.Labelling;

namespace Planner.Tests.Insights.Labelling;

public class LabelledReviewsCsvTests
{
    private static ReviewLabel Label(string text, string label, LabelSource by = LabelSource.Founder) =>
        new() { ReviewsFile = "reviews.csv", Column = "sentiment", ReviewKey = ReviewKey.Of(text), Label = label, SetBy = by };

    [Fact]
    public void The_founders_labels_fill_a_new_label_column_and_every_other_cell_is_kept()
    {
        var csv = "id,text\nr1,\"Slow, and \"\"buggy\"\"\"\nr2,  Love it \nr3,=SUM(A1)\n";
        var (bytes, filled, error) = LabelledReviewsCsv.Fill(Samples.Utf8(csv), "reviews.csv", "sentiment",
            [Label("Slow, and \"buggy\"", "negative"), Label("Love it", "positive"), Label("=SUM(A1)", "neutral", LabelSource.Model)]);

        Assert.Null(error);
        Assert.Equal(2, filled);
        Assert.Equal("id,text,sentiment\nr1,\"Slow, and \"\"buggy\"\"\",negative\nr2,  Love it ,positive\nr3,=SUM(A1),\n", Encoding.UTF8.GetString(bytes!));
    }

    [Fact]
    public void An_existing_label_column_keeps_its_labels_where_the_founder_set_none()
    {
        var (bytes, filled, _) = LabelledReviewsCsv.Fill(Samples.Utf8("text,Sentiment\ngood,positive\nbad,positive\n"), "r.csv", "sentiment", [Label("bad", "negative")]);
        Assert.Equal(1, filled);
        Assert.Equal("text,Sentiment\ngood,positive\nbad,negative\n", Encoding.UTF8.GetString(bytes!));
    }

    [Fact]
    public void The_sample_exported_with_no_founder_labels_reads_back_as_the_same_reviews()
    {
        var original = File.ReadAllBytes(SampleReviews.Path);
        var (bytes, filled, error) = LabelledReviewsCsv.Fill(original, "reviews.csv", "sentiment", []);
        Assert.Null(error);
        Assert.Equal(0, filled);
        Assert.Equal(SampleReviews.Read().Select(r => (r.Id, r.Text)), ReviewCsv.Read(bytes, "reviews.csv").Reviews.Select(r => (r.Id, r.Text)));
    }

    [Fact]
    public void A_file_that_is_not_a_reviews_csv_says_why()
    {
        Assert.Contains("has no review text column", LabelledReviewsCsv.Fill(Samples.Utf8("id,rating\n1,2\n"), "r.csv", "sentiment", []).Error);
        Assert.Contains("not UTF-8 or UTF-16 text", LabelledReviewsCsv.Fill(new byte[] { 0x74, 0x65, 0x78, 0x74, 0x0A, 0xE9, 0x74, 0xE9 }, "r.csv", "sentiment", []).Error);
    }
}
