using Planner.Hosting.Evidence;
using Planner.Insights;
using Planner.Interchange;
using Planner.Roadmaps;
using Xunit.Abstractions;

namespace Planner.Hosting.Tests.Evidence;

/// <summary>Review matching checked by the pretrained encoder's sense of meaning, measured on the sample's judged
/// matches: every (initiative, review) pair the matcher proposes was judged by a reader, 1 when the review is evidence
/// for the initiative, 0 when they only share words.</summary>
public sealed class EncoderTextMeaningTests(ITestOutputHelper output)
{
    [Fact]
    public void Checking_matches_by_meaning_raises_their_precision_on_the_sample_and_keeps_nearly_every_relevant_one()
    {
        var workspace = RoadmapJson.Read(File.ReadAllBytes(RepositoryRoot.SampleData("roadmap.json"))).Workspace!;
        var reviews = ReviewCsv.Read(File.ReadAllBytes(RepositoryRoot.SampleData("reviews.csv")), "reviews.csv").Reviews;
        var judged = File.ReadAllLines(RepositoryRoot.File("tests", "Planner.Tests", "Insights", "ReviewMatchJudgements.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t')).ToDictionary(p => (p[0], p[1]), p => p[2] == "1");
        var initiatives = workspace.Initiatives.Where(i => i.Status != InitiativeStatus.Dropped).ToList();

        var words = ReviewMatcher.Match(initiatives, reviews);
        var meant = ReviewMatcher.Match(initiatives, reviews, meaning: EncoderTextMeaning.Instance);

        int Relevant(IEnumerable<ReviewMatch> matches) => matches.Count(m => judged[(m.InitiativeKey, reviews[m.ReviewIndex].Id)]);
        var (before, after) = ((double)Relevant(words) / words.Count, (double)Relevant(meant) / meant.Count);
        output.WriteLine($"by words {words.Count} matches, {Relevant(words)} relevant, precision {before:0.000}; checked by meaning {meant.Count}, {Relevant(meant)}, {after:0.000}");
        Assert.True(after >= before + 0.1, $"precision {before:0.000} by words, {after:0.000} checked by meaning");
        Assert.True(Relevant(meant) >= 0.9 * Relevant(words), $"{Relevant(meant)} of {Relevant(words)} relevant matches kept");
        Assert.All(meant, m => Assert.InRange(m.Similarity!.Value, EvidenceSettings.Default.MinMeaningSimilarity, 1.0001));
    }
}
