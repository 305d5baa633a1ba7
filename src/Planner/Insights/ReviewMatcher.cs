using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;
using Planner.Roadmaps;

namespace Planner.Insights;

/// <summary>Matches reviews to initiatives by the words they share, the way the document search ranks passages:
/// Lucene's English analysis (stop words, stemming) and BM25's inverse document frequency over the reviews, so rare
/// words ("QuickBooks", "reminders") weigh much more than words every review uses ("client"). A review's score for
/// an initiative is the sum of the IDF of the distinct terms they share, title terms weighted up. Explainable by
/// construction: the shared terms are the reason. Given what texts mean (<see cref="ITextMeaning"/>), a match whose
/// review and initiative are not close enough in meaning is dropped: sharing words is not saying the same thing.</summary>
public static class ReviewMatcher
{
    /// <param name="feedback">The founder's decisions: rejected pairs are never matched (so a review rejected for one
    /// initiative can still count for the next best), and the vocabulary of confirmed and linked texts weighs more.</param>
    /// <param name="meaning">When given, each match keeps the cosine similarity of the review and the initiative (its title
    /// and description) and is dropped below <see cref="EvidenceSettings.MinMeaningSimilarity"/>.</param>
    public static IReadOnlyList<ReviewMatch> Match(IReadOnlyList<Initiative> initiatives, IReadOnlyList<Review> reviews, EvidenceSettings? settings = null,
        MatchFeedback? feedback = null, ITextMeaning? meaning = null)
    {
        settings ??= EvidenceSettings.Default;
        feedback ??= MatchFeedback.None;
        using var analyzer = new EnglishAnalyzer(LuceneVersion.LUCENE_48, StopWords);
        var reviewTerms = reviews.Select(r => Terms(analyzer, r.Text)).ToList();
        var idf = InverseDocumentFrequency(reviewTerms);
        var rejectedTexts = feedback.Rejected
            .Join(reviews, pair => pair.ReviewId, review => review.Id, (pair, review) => (pair.InitiativeKey, review.Text), StringComparer.Ordinal)
            .GroupBy(p => p.InitiativeKey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(p => p.Text)], StringComparer.Ordinal);
        var queries = initiatives.Select(i => (i.Key, Weights: Learned(analyzer, QueryWeights(analyzer, i, settings.TitleWeight),
            feedback.ConfirmedTexts.GetValueOrDefault(i.Key) ?? [], rejectedTexts.GetValueOrDefault(i.Key) ?? [], settings))).ToList();

        var matches = new List<ReviewMatch>();
        for (var r = 0; r < reviews.Count; r++)
        {
            var candidates = new List<ReviewMatch>();
            foreach (var (key, weights) in queries)
            {
                if (feedback.Rejected.Contains((key, reviews[r].Id))) continue;
                var shared = reviewTerms[r].Where(t => weights.ContainsKey(t.Key)).ToList();
                var score = shared.Sum(t => idf[t.Key] * weights[t.Key]);
                if (shared.Count >= settings.MinTerms && score >= settings.MinScore)
                    candidates.Add(new ReviewMatch(key, r, score, [.. shared.OrderByDescending(t => idf[t.Key] * weights[t.Key]).Select(t => t.Value)]));
            }
            if (candidates.Count == 0) continue;
            var best = candidates.Max(c => c.Score);
            matches.AddRange(candidates.Where(c => c.Score >= settings.RelativeToBest * best));
        }
        return meaning is null || matches.Count == 0 ? matches : ByMeaning(matches, initiatives, reviews, settings, meaning);
    }

    /// <summary>The matches whose review and initiative are at least <see cref="EvidenceSettings.MinMeaningSimilarity"/>
    /// alike in meaning, each with its similarity. Applied after the choice among a review's matches, so it only ever
    /// removes a match: the review does not move to an initiative its words matched less well.</summary>
    private static List<ReviewMatch> ByMeaning(List<ReviewMatch> matches, IReadOnlyList<Initiative> initiatives, IReadOnlyList<Review> reviews,
        EvidenceSettings settings, ITextMeaning meaning)
    {
        var matchedInitiatives = initiatives.Where(i => matches.Any(m => m.InitiativeKey == i.Key)).ToList();
        var matchedReviews = matches.Select(m => m.ReviewIndex).Distinct().ToList();
        var vectors = meaning.Embed([.. matchedInitiatives.Select(Text), .. matchedReviews.Select(r => reviews[r].Text)]);
        var initiative = matchedInitiatives.Select((i, n) => (i.Key, n)).ToDictionary(p => p.Key, p => vectors[p.n], StringComparer.Ordinal);
        var review = matchedReviews.Select((r, n) => (r, n)).ToDictionary(p => p.r, p => vectors[matchedInitiatives.Count + p.n]);
        return [.. matches.Select(m => m with { Similarity = Cosine(initiative[m.InitiativeKey], review[m.ReviewIndex]) })
            .Where(m => m.Similarity >= settings.MinMeaningSimilarity)];
    }

    /// <summary>What an initiative is about, for comparing meaning: its title and description.</summary>
    public static string Text(Initiative initiative) =>
        string.IsNullOrWhiteSpace(initiative.Description) ? initiative.Title : $"{initiative.Title}. {initiative.Description}";

    private static double Cosine(float[] a, float[] b)
    {
        if (a.Length != b.Length) throw new InvalidOperationException($"Vectors of {a.Length} and {b.Length} dimensions cannot be compared.");
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }

    /// <summary>Lucene's English stop words plus the pronouns and function words reviews are full of ("we", "every",
    /// "would"): sharing them says nothing about what a review is about.</summary>
    private static readonly CharArraySet StopWords = BuildStopWords();

    private static CharArraySet BuildStopWords()
    {
        var set = new CharArraySet(LuceneVersion.LUCENE_48, EnglishAnalyzer.DefaultStopSet, ignoreCase: true);
        foreach (var word in ("i me my we us our you your he she him her his they them their its it's i'm i've i'd we're we've " +
            "what which who whom whose when where why how all any both each every few more most other some such only own same so " +
            "than too very can could would should will just also about above after again against before below between during " +
            "from further here once out over under up down off until while do does did done doing have has had having am been " +
            "being were get gets got let like one two way still need needs want really much many lot thing things make makes " +
            "made even now then there those these per that's don't doesn't can't won't isn't wasn't").Split(' '))
            set.Add(word);
        return set.AsReadOnly();
    }

    /// <summary>BM25's IDF, ln(1 + (N − df + 0.5) / (df + 0.5)), with the reviews as the documents.</summary>
    private static Dictionary<string, double> InverseDocumentFrequency(List<Dictionary<string, string>> documents)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in documents.SelectMany(d => d.Keys)) df[term] = df.GetValueOrDefault(term) + 1;
        var n = documents.Count;
        return df.ToDictionary(p => p.Key, p => Math.Log(1 + (n - p.Value + 0.5) / (p.Value + 0.5)), StringComparer.Ordinal);
    }

    private static Dictionary<string, double> QueryWeights(Analyzer analyzer, Initiative initiative, double titleWeight)
    {
        var weights = Terms(analyzer, initiative.Description).Keys.ToDictionary(t => t, _ => 1.0, StringComparer.Ordinal);
        foreach (var term in Terms(analyzer, initiative.Title).Keys) weights[term] = titleWeight;
        return weights;
    }

    /// <summary>The initiative's terms that also occur in texts the founder confirmed or linked weigh
    /// <see cref="EvidenceSettings.ConfirmedTermBoost"/> times more; a term the initiative does not use but that at least
    /// two of those texts share joins it with weight <see cref="EvidenceSettings.LearnedTermWeight"/>.</summary>
    /// <summary>The initiative's query after the founder's decisions, in the manner of Rocchio's relevance feedback: its
    /// terms found in confirmed texts and in none it rejected weigh more; its terms found only in rejected texts (the
    /// words that made the wrong matches) weigh less; a term it lacks joins it when two or more confirmed texts share it
    /// and no rejected one has it.</summary>
    private static Dictionary<string, double> Learned(Analyzer analyzer, Dictionary<string, double> weights, IReadOnlyList<string> confirmed,
        IReadOnlyList<string> rejected, EvidenceSettings settings)
    {
        if (confirmed.Count == 0 && rejected.Count == 0) return weights;
        Dictionary<string, int> Counts(IReadOnlyList<string> texts) => texts.SelectMany(text => Terms(analyzer, text).Keys)
            .GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var good = Counts(confirmed);
        var bad = Counts(rejected);
        foreach (var term in weights.Keys.ToList())
        {
            var (inGood, inBad) = (good.ContainsKey(term), bad.ContainsKey(term));
            if (inGood && !inBad) weights[term] *= settings.ConfirmedTermBoost;
            else if (inBad && !inGood) weights[term] *= settings.RejectedTermWeight;
        }
        foreach (var (term, count) in good)
            if (settings.LearnedTermWeight > 0 && !weights.ContainsKey(term) && count >= 2 && !bad.ContainsKey(term)) weights[term] = settings.LearnedTermWeight;
        return weights;
    }

    /// <summary>The distinct analysed terms of a text, each with the word it first came from (lower-cased).</summary>
    internal static Dictionary<string, string> Terms(Analyzer analyzer, string text)
    {
        var terms = new Dictionary<string, string>(StringComparer.Ordinal);
        using var stream = analyzer.GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
            if (term.ToString().Any(char.IsLetter)) // numbers ("2", "10") match by accident more often than not
                terms.TryAdd(term.ToString(), text[offset.StartOffset..offset.EndOffset].ToLowerInvariant());
        stream.End();
        return terms;
    }
}
