using System.Globalization;
using Planner.Engine.Evaluation;
using Planner.Assistant.Labelling;
using Planner.Insights;
using Planner.Llm;

namespace Planner.Hosting.Evidence;

/// <summary>A theme in customer feedback: a name from its top terms, the terms, its reviews (the most typical first),
/// and how many of them arrived in each month (reviews without a date are counted in <see cref="Undated"/>).
/// <see cref="ModelName"/> is the chat model's name for it, when one was asked (<see cref="NamedBy"/>).</summary>
public sealed record ReviewTheme(string Name, IReadOnlyList<string> Terms, IReadOnlyList<Review> Reviews,
    IReadOnlyList<(string Month, int Count)> PerMonth, int Undated)
{
    public string? ModelName { get; init; }

    public string? NamedBy { get; init; }
}

/// <summary>Themes found in a set of reviews, with how they were found.</summary>
public sealed record ReviewThemeReport(IReadOnlyList<ReviewTheme> Themes, double DaviesBouldin, string Method);

/// <summary>Groups unlabelled customer reviews into themes (<see cref="TextThemes"/>: the pretrained sentence encoder's
/// embeddings and k-means, named by their TF-IDF terms), for the founder to read, to turn into initiatives or to link to
/// them. Needs no labels and no model trained here.</summary>
public static class ReviewThemes
{
    /// <summary>The themes of <paramref name="reviews"/>; <paramref name="count"/> fixes their number, otherwise it is
    /// chosen from the data. Too few reviews, or a count that does not fit them, is a
    /// <see cref="Planner.Engine.Data.CorpusException"/> whose message is for the user.</summary>
    public static ReviewThemeReport Find(IReadOnlyList<Review> reviews, int? count = null, int seed = 1, ThemeSpace space = ThemeSpace.Encoder)
    {
        var found = TextThemes.Find([.. reviews.Select(r => r.Text)], count, seed, space);
        var months = reviews.Where(r => r.Date is not null).Select(r => Month(r.Date!.Value)).Distinct().Order(StringComparer.Ordinal).ToList();
        var themes = found.Themes.Select(theme =>
        {
            var members = theme.Texts.Select(i => reviews[i]).ToList();
            var perMonth = months.Select(m => (m, members.Count(r => r.Date is { } d && Month(d) == m))).ToList();
            return new ReviewTheme(Name(theme.Terms), theme.Terms, members, perMonth, members.Count(r => r.Date is null));
        }).ToList();
        return new ReviewThemeReport(themes, found.DaviesBouldin, TextThemes.Describe(space));
    }

    /// <summary>A theme's name: its three top terms, a bigram first replacing the words it holds.</summary>
    public static string Name(IReadOnlyList<string> terms)
    {
        var rank = terms.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i, StringComparer.Ordinal);
        var picked = new List<string>();
        foreach (var term in terms.OrderByDescending(t => t.Contains(' ', StringComparison.Ordinal)).ThenBy(t => rank[t]))
        {
            var words = term.Split(' ');
            if (picked.Any(p => p.Split(' ').Intersect(words, StringComparer.Ordinal).Any())) continue;
            picked.Add(term);
            if (picked.Count == 3) break;
        }
        return picked.Count == 0 ? "(no common terms)" : string.Join(", ", picked.OrderBy(t => rank[t]));
    }

    /// <summary>Asks the chat model for a short name for each theme (<see cref="ThemeNamer"/>), from its terms and its
    /// most typical reviews. A theme whose answer is not a short name keeps its terms' name, and the reason is returned.
    /// Stopped through <paramref name="ct"/>, the names given so far are kept and the other themes keep their terms' names.</summary>
    public static async Task<(ReviewThemeReport Report, IReadOnlyList<string> Problems)> NameWithModelAsync(ReviewThemeReport report, ThemeNamer namer,
        ChatBackend backend, LanguageModelRuntime? runtime, CancellationToken ct)
    {
        var themes = new List<ReviewTheme>();
        var problems = new List<string>();
        foreach (var theme in report.Themes)
        {
            if (ct.IsCancellationRequested)
            {
                themes.Add(theme); // stopped: the rest keep their terms' names
                continue;
            }
            try
            {
                var name = await namer.NameAsync(backend, runtime, theme.Terms, [.. theme.Reviews.Take(ThemeNamer.MaxReviews).Select(r => r.Text)], ct);
                themes.Add(theme with { ModelName = name, NamedBy = backend.ModelName });
            }
            catch (LabellingException e)
            {
                problems.Add($"{theme.Name}: {e.Message}");
                themes.Add(theme);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                themes.Add(theme);
            }
        }
        return (report with { Themes = themes }, problems);
    }

    private static string Month(DateOnly date) => date.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
