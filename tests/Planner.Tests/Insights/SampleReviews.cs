using Planner.Insights;
using Planner.Persistence;

namespace Planner.Tests.Insights;

/// <summary>The sample workspace's 212 reviews, and a stand-in classifier that returns fixed verdicts.</summary>
internal static class SampleReviews
{
    public static string Path => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(PlannerDatabase.SampleRoadmapPath)!, "reviews.csv");

    public static IReadOnlyList<Review> Read()
    {
        var result = ReviewCsv.Read(File.ReadAllBytes(Path), "reviews.csv");
        Assert.True(result.Ok, result.Error);
        return result.Reviews;
    }

    public static LabelVerdict Verdict(string label, double probability, params (string Label, double P)[] others) =>
        new(label, probability, new Dictionary<string, double>([new(label, probability), .. others.Select(o => new KeyValuePair<string, double>(o.Label, o.P))]));
}

/// <summary>Returns the verdict a function gives each text: the port as the Engine fills it, without a model.</summary>
internal sealed class FixedClassifier(Func<string, ReviewVerdict> verdict) : IReviewClassifier
{
    public string Description => "fixed";

    public Task<IReadOnlyList<ReviewVerdict>> ClassifyAsync(IReadOnlyList<string> texts, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ReviewVerdict>>([.. texts.Select(verdict)]);
}
