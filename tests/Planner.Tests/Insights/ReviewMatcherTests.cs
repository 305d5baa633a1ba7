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
