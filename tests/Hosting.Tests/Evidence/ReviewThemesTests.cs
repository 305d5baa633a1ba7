using Planner.Engine.Data;
using Planner.Hosting.Evidence;
using Planner.Hosting.Training;
using Planner.Insights;
using Xunit.Abstractions;

namespace Planner.Hosting.Tests.Evidence;

public sealed class ReviewThemesTests(ITestOutputHelper output)
{
    private static IReadOnlyList<Review> SampleReviews()
    {
        var read = ReviewCsv.Read(File.ReadAllBytes(RepositoryRoot.SampleData("reviews.csv")), "reviews.csv");
        Assert.True(read.Ok, read.Error);
        return read.Reviews;
    }

    /// <summary>Normalised mutual information of two labellings of the same items (0: unrelated, 1: the same grouping).</summary>
    private static double MutualInformation(List<int> a, List<string> b)
    {
        double n = a.Count;
        var pairs = a.Zip(b).GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count() / n);
        var pa = a.GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count() / n);
        var pb = b.GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count() / n);
        var mi = pairs.Sum(p => p.Value * Math.Log(p.Value / (pa[p.Key.First] * pb[p.Key.Second])));
        double Entropy<T>(Dictionary<T, double> p) where T : notnull => -p.Values.Sum(v => v * Math.Log(v));
        return mi / Math.Sqrt(Entropy(pa) * Entropy(pb));
    }

    /// <summary>The text as the themes read it: lower case, punctuation dropped, then words and word pairs.</summary>
    private static HashSet<string> Words(string text)
    {
        var words = new string([.. text.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || char.IsWhiteSpace(c))])
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return [.. words, .. words.Zip(words.Skip(1), (a, b) => $"{a} {b}")];
    }

    [Fact]
    public void The_themes_of_the_sample_reviews_agree_with_their_hand_labelled_categories_more_than_any_random_grouping()
    {
        var reviews = SampleReviews();
        // The sample's own labels, kept out of the grouping: the themes are found from the text alone.
        var categories = TrainingCorpus.ReadLabelled(RepositoryRoot.SampleData("reviews.csv"), "text", "category").Examples.Select(e => e.Label).ToList();
        Assert.Equal(reviews.Count, categories.Count);

        var report = ReviewThemes.Find(reviews);
        var themeOf = reviews.Select(r => report.Themes.Select((t, i) => (t, i)).Single(x => x.t.Reviews.Contains(r)).i).ToList();
        var found = MutualInformation(themeOf, categories);

        // Chance: the same theme sizes dealt out at random, 50 times.
        var random = new Random(5);
        var chance = Enumerable.Range(0, 50).Select(_ => MutualInformation([.. themeOf.OrderBy(_ => random.Next())], categories)).ToList();
        output.WriteLine($"{report.Themes.Count} themes, Davies–Bouldin {report.DaviesBouldin:0.00}; NMI with the categories {found:0.000}, chance {chance.Average():0.000} (max {chance.Max():0.000})");
        foreach (var theme in report.Themes) output.WriteLine($"{theme.Reviews.Count,4}  {theme.Name}  [{string.Join(", ", theme.Terms)}]");
        // The categories say what a review wants (a bug, a feature, praise, pricing), the themes what it is about, so the
        // two agree only in part; but the grouping must beat every one of the 50 random deals (p < 0.02).
        Assert.True(found > chance.Max(), $"NMI {found:0.000} against chance up to {chance.Max():0.000}");

        // The pretrained encoder's space groups the reviews closer to what a person would than the texts' own terms do.
        var byTerms = ReviewThemes.Find(reviews, space: Planner.Engine.Evaluation.ThemeSpace.Terms);
        var termsNmi = MutualInformation([.. reviews.Select(r => byTerms.Themes.Select((t, i) => (t, i)).Single(x => x.t.Reviews.Contains(r)).i)], categories);
        output.WriteLine($"from the terms alone: {byTerms.Themes.Count} themes, NMI with the categories {termsNmi:0.000}");
        Assert.True(found > termsNmi, $"NMI {found:0.000} from the encoder against {termsNmi:0.000} from the terms");
        Assert.Contains("all-MiniLM-L6-v2", report.Method);
    }

    [Fact]
    public void Every_review_is_in_one_theme_whose_terms_it_shares_and_the_months_add_up()
    {
        var reviews = SampleReviews();
        var report = ReviewThemes.Find(reviews, count: 5);

        Assert.Equal(5, report.Themes.Count);
        Assert.Equal(reviews.Select(r => r.Id).Order(), report.Themes.SelectMany(t => t.Reviews).Select(r => r.Id).Order());
        Assert.Equal(report.Themes.Select(t => t.Reviews.Count).OrderDescending(), report.Themes.Select(t => t.Reviews.Count));
        foreach (var theme in report.Themes)
        {
            Assert.NotEmpty(theme.Terms);
            // A theme's top term is what sets its reviews apart: more of them use it than of all the other reviews.
            double Share(IEnumerable<Review> some) => some.Average(r => Words(r.Text).Contains(theme.Terms[0]) ? 1.0 : 0.0);
            var inside = Share(theme.Reviews);
            var outside = Share(reviews.Except(theme.Reviews));
            Assert.True(inside > 2 * outside, $"'{theme.Terms[0]}': {inside:P0} of the theme's reviews, {outside:P0} of the others");
            Assert.Equal(theme.Reviews.Count, theme.PerMonth.Sum(m => m.Count) + theme.Undated);
        }
        // The same reviews give the same themes.
        Assert.Equal(report.Themes.Select(t => t.Name), ReviewThemes.Find(reviews, count: 5).Themes.Select(t => t.Name));
    }

    [Fact]
    public void Too_few_reviews_or_a_count_that_does_not_fit_them_is_refused_with_the_reason()
    {
        var reviews = SampleReviews();
        var few = Assert.Throws<CorpusException>(() => ReviewThemes.Find([.. reviews.Take(9)]));
        Assert.Equal("9 texts are too few to group into themes; at least 10 are needed.", few.Message);
        var many = Assert.Throws<CorpusException>(() => ReviewThemes.Find([.. reviews.Take(20)], count: 11));
        Assert.Equal("11 themes cannot be made from 20 texts; ask for 2 to 10.", many.Message);
        Assert.Throws<CorpusException>(() => ReviewThemes.Find([.. reviews.Take(20)], count: 1));
    }

    [Fact]
    public void A_name_takes_three_top_terms_preferring_a_phrase_over_its_own_words()
    {
        Assert.Equal("bank feeds, upload, statements", ReviewThemes.Name(["bank", "bank feeds", "feeds", "upload", "statements", "just"]));
        Assert.Equal("(no common terms)", ReviewThemes.Name([]));
    }
}
