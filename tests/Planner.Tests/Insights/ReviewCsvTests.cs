using Planner.Insights;

namespace Planner.Tests.Insights;

public class ReviewCsvTests
{
    [Fact]
    public void The_sample_reviews_are_read_with_their_ids_sources_and_dates()
    {
        var reviews = SampleReviews.Read();
        Assert.Equal(212, reviews.Count);
        var first = reviews[0];
        Assert.Equal(("r001", "g2", "Greyfield Books", new DateOnly(2026, 1, 6), 2), (first.Id, first.Source, first.Customer, first.Date, first.Rating));
        Assert.StartsWith("QBO import broke again", first.Text);
    }

    [Theory]
    [InlineData("id,rating\nr1,5\n", "has no review text column (columns: id, rating)")]
    [InlineData("", "is empty")]
    [InlineData("text\n\n", "no review text in any row")]
    [InlineData("id,text\nr1,\"open quote\n", "not well-formed CSV")]
    [InlineData("id,text\nr1,good\nr1,bad\n", "the id 'r1' is used by 2 reviews")]
    public void A_file_that_cannot_be_used_says_why(string csv, string reason)
    {
        var result = ReviewCsv.Read(Samples.Utf8(csv), "reviews.csv");
        Assert.False(result.Ok);
        Assert.Contains(reason, result.Error);
        Assert.Empty(result.Reviews);
    }

    [Fact]
    public void Rows_without_an_id_are_named_by_their_line_and_other_text_column_names_are_accepted()
    {
        var result = ReviewCsv.Read(Samples.Utf8("Comment,stars\nLove it,5\nToo slow,1\n"), "r.csv");
        Assert.True(result.Ok, result.Error);
        Assert.Equal(["row 2", "row 3"], result.Reviews.Select(r => r.Id));
        Assert.Equal("Too slow", result.Reviews[1].Text);
    }

    [Fact]
    public void A_reviews_file_saved_as_utf16_is_read_and_one_in_latin1_is_refused_by_name()
    {
        var csv = "id,text\nr1,Très bien\n";
        foreach (var encoding in new[] { System.Text.Encoding.Unicode, System.Text.Encoding.BigEndianUnicode })
        {
            var read = ReviewCsv.Read([.. encoding.GetPreamble(), .. encoding.GetBytes(csv)], "reviews.csv");
            Assert.True(read.Ok, read.Error);
            Assert.Equal("Très bien", Assert.Single(read.Reviews).Text);
        }
        var latin1 = ReviewCsv.Read(System.Text.Encoding.Latin1.GetBytes(csv), "avis.csv");
        Assert.Equal("avis.csv is not UTF-8 or UTF-16 text; save it as UTF-8 CSV and try again.", latin1.Error);
    }

    [Fact]
    public void A_review_of_a_megabyte_is_read_whole()
    {
        var text = string.Concat(Enumerable.Repeat("The import broke again. ", 1024 * 1024 / 24 + 1));
        var read = ReviewCsv.Read(Samples.Utf8($"id,text\nr1,{text}\nr2,short\n"), "reviews.csv");
        Assert.True(read.Ok, read.Error);
        Assert.Equal(text.Trim(), read.Reviews[0].Text);
    }
}
