using Planner.Insights;

namespace Planner.Tests.Insights;

/// <summary>Matching on the sample workspace, checked by hand against what the reviews are about.</summary>
public class ReviewMatcherTests
{
    private static readonly IReadOnlyList<Review> Reviews = SampleReviews.Read();
    private static readonly IReadOnlyList<ReviewMatch> Matches = ReviewMatcher.Match(Samples.Sample().Initiatives, Reviews);

    private static IReadOnlyList<string> InitiativesOf(string reviewId) =>
        [.. Matches.Where(m => Reviews[m.ReviewIndex].Id == reviewId).Select(m => m.InitiativeKey).Order(StringComparer.Ordinal)];

    private static ReviewMatch Match(string reviewId, string key) => Matches.Single(m => Reviews[m.ReviewIndex].Id == reviewId && m.InitiativeKey == key);

    [Theory]
    [InlineData("r018", "i16")] // "Online payment of our invoices through the portal please" -> Client invoicing & online payments
    [InlineData("r131", "i16")] // "Let us invoice clients from the portal and take card payments"
    [InlineData("r017", "i26")] // "Price per seat went from $24 to $29" -> Per-seat pricing & plan limits
    [InlineData("r009", "i5")]  // "No bank feed means I'm doing manual reconciliation" -> Bank feed reconciliation
    [InlineData("r021", "i10")] // "Automatic reminders for outstanding document requests" -> Automatic document request reminders
    [InlineData("r055", "i31")] // "Dark mode would be the cherry on top"
    public void A_review_matches_the_initiative_it_is_about_and_only_that_one(string reviewId, string key) =>
        Assert.Equal([key], InitiativesOf(reviewId));

    [Fact]
    public void Billing_reviews_do_not_count_for_pricing_and_pricing_reviews_do_not_count_for_billing()
    {
        Assert.DoesNotContain("i26", InitiativesOf("r131"));
        Assert.DoesNotContain("i16", InitiativesOf("r017"));
    }

    [Theory]
    [InlineData("r038")] // "It just works. Nothing fancy, but everything we use daily is solid."
    [InlineData("r029")] // "Really thoughtful design, you can tell it was built with accountants."
    [InlineData("r075")] // "We've recommended it to three other firms in our network."
    public void Reviews_about_nothing_on_the_roadmap_match_nothing(string reviewId) => Assert.Empty(InitiativesOf(reviewId));

    [Fact]
    public void A_match_says_which_words_it_shares_rarest_first_as_written_in_the_review()
    {
        var match = Match("r131", "i16");
        Assert.Equal("invoice", match.Terms[0]); // a title word, and rare among the reviews
        Assert.Contains("payments", match.Terms);
        Assert.Contains("card", match.Terms);
        Assert.DoesNotContain("us", match.Terms); // function words never count
        Assert.True(match.Score >= EvidenceSettings.Default.MinScore);
    }

    [Fact]
    public void Raising_the_threshold_only_removes_matches()
    {
        var strict = ReviewMatcher.Match(Samples.Sample().Initiatives, Reviews, EvidenceSettings.Default with { MinScore = 15 });
        Assert.True(strict.Count < Matches.Count);
        Assert.All(strict, m => Assert.Contains(Matches, d => d.ReviewIndex == m.ReviewIndex && d.InitiativeKey == m.InitiativeKey && d.Score >= 15));
        Assert.Contains(strict, m => Reviews[m.ReviewIndex].Id == "r131" && m.InitiativeKey == "i16");
    }
}

/// <summary>Matching with a port that says what texts mean (a scripted one here: the real encoder is tested in
/// Hosting.Tests, on the sample's judged matches).</summary>
public class ReviewMatcherMeaningTests
{
    private static readonly IReadOnlyList<Review> Reviews = SampleReviews.Read();

    /// <summary>Every text points along one axis, except those given: the similarity of two texts is 1 when both point
    /// the same way and 0 otherwise.</summary>
    private sealed class ScriptedMeaning(Func<string, int> axis) : ITextMeaning
    {
        public int Calls { get; private set; }

        public string Description => "scripted";

        public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts)
        {
            Calls++;
            return [.. texts.Select(t => { var v = new float[4]; v[axis(t)] = 1; return v; })];
        }
    }

    [Fact]
    public void A_match_whose_review_does_not_mean_what_the_initiative_does_is_dropped_and_no_review_moves_elsewhere()
    {
        var initiatives = Samples.Sample().Initiatives;
        var words = ReviewMatcher.Match(initiatives, Reviews);
        var invoicing = initiatives.Single(i => i.Key == "i16");
        // The invoicing initiative and review r131 mean one thing; every other text another.
        var meaning = new ScriptedMeaning(t => t == ReviewMatcher.Text(invoicing) || t == Reviews.Single(r => r.Id == "r131").Text ? 1 : 0);

        var checkedByMeaning = ReviewMatcher.Match(initiatives, Reviews, meaning: meaning);

        Assert.Equal(1, meaning.Calls); // one call embeds every matched text at once
        var i16 = checkedByMeaning.Where(m => m.InitiativeKey == "i16").Select(m => Reviews[m.ReviewIndex].Id).ToList();
        Assert.Equal(["r131"], i16); // the other reviews matched to invoicing by words are dropped
        Assert.True(words.Count(m => m.InitiativeKey == "i16") > 1, "words alone matched more reviews to invoicing");
        Assert.All(checkedByMeaning, m => Assert.Contains(words, w => w.ReviewIndex == m.ReviewIndex && w.InitiativeKey == m.InitiativeKey));
        Assert.All(checkedByMeaning, m => Assert.Equal(1.0, m.Similarity));
        // Kept: exactly the pairs whose two texts point the same way.
        var alike = words.Where(m => (m.InitiativeKey == "i16") == (Reviews[m.ReviewIndex].Id == "r131")).Select(m => (m.InitiativeKey, m.ReviewIndex));
        Assert.Equal(alike, checkedByMeaning.Select(m => (m.InitiativeKey, m.ReviewIndex)));
    }

    [Fact]
    public void The_threshold_is_a_setting_and_without_meaning_nothing_changes()
    {
        var initiatives = Samples.Sample().Initiatives;
        var words = ReviewMatcher.Match(initiatives, Reviews);
        var unrelated = new ScriptedMeaning(t => t.Length % 2);
        var kept = ReviewMatcher.Match(initiatives, Reviews, EvidenceSettings.Default with { MinMeaningSimilarity = -1 }, meaning: unrelated);
        Assert.Equal(words.Select(m => (m.InitiativeKey, m.ReviewIndex, m.Score)), kept.Select(m => (m.InitiativeKey, m.ReviewIndex, m.Score)));
        Assert.All(kept, m => Assert.NotNull(m.Similarity));
        Assert.All(words, m => Assert.Null(m.Similarity));
    }
}
