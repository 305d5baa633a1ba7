using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;
using Planner.Engine.Data;

namespace Planner.Engine.Evaluation;

/// <summary>One group of similar texts: the indexes of its texts (into the input, nearest to the group's centre
/// first) and the terms that weigh most in its centre (word uni- and bigrams, a bigram written "a b").</summary>
public sealed record TextTheme(IReadOnlyList<int> Texts, IReadOnlyList<string> Terms);

/// <summary>The space texts are grouped in: the pretrained sentence encoder's embeddings (<see cref="SentenceEmbeddings"/>),
/// where texts that mean the same are close whatever their words, or the texts' own terms reduced by latent semantic
/// analysis, which knows only the words these texts share.</summary>
public enum ThemeSpace
{
    Encoder,
    Terms,
}

/// <summary>How a set of texts was grouped: the themes (largest first), the theme of each text, how many themes were
/// tried, and the Davies–Bouldin index of the grouping chosen (lower: tighter, better separated groups).</summary>
public sealed record TextThemes(IReadOnlyList<TextTheme> Themes, IReadOnlyList<int> ThemeOfText, double DaviesBouldin)
{
    /// <summary>Fewer texts than this are not grouped: a theme needs a handful of texts to mean anything.</summary>
    public const int MinimumTexts = 10;

    /// <summary>Terms kept per theme.</summary>
    public const int TermsPerTheme = 6;

    /// <summary>Dimensions of the latent semantic space the texts are grouped in.</summary>
    public const int Concepts = 20;

    public const string TermsDescription = "TF-IDF word 1–2-grams without stop words, latent semantic analysis (20 dimensions), k-means (ML.NET); " +
                                           "the number of themes the one with the lowest Davies–Bouldin index unless given";

    public const string EncoderDescription = "pretrained sentence encoder (all-MiniLM-L6-v2) embeddings, k-means (ML.NET), each theme's terms its " +
                                             "heaviest TF-IDF word 1–2-grams without stop words; the number of themes the one with the lowest " +
                                             "Davies–Bouldin index unless given";

    public static string Describe(ThemeSpace space) => space == ThemeSpace.Encoder ? EncoderDescription : TermsDescription;

    /// <summary>Groups <paramref name="texts"/> into <paramref name="count"/> themes, or, when null, into the number
    /// between 2 and 8 (at most one per five texts) whose grouping has the lowest Davies–Bouldin index. The same texts
    /// and seed give the same themes. Too few texts, or a count that does not fit them, is a
    /// <see cref="CorpusException"/> with the reason.</summary>
    public static TextThemes Find(IReadOnlyList<string> texts, int? count = null, int seed = 1, ThemeSpace space = ThemeSpace.Encoder)
    {
        if (texts.Count < MinimumTexts)
            throw new CorpusException($"{texts.Count} texts are too few to group into themes; at least {MinimumTexts} are needed.");
        var most = Math.Max(2, Math.Min(8, texts.Count / 5));
        if (count is { } asked && (asked < 2 || asked > texts.Count / 2))
            throw new CorpusException($"{asked} themes cannot be made from {texts.Count} texts; ask for 2 to {texts.Count / 2}.");

        var ml = new MLContext(seed);
        var embeddings = space == ThemeSpace.Encoder ? SentenceEmbeddings.Encode(texts) : null;
        var data = ml.Data.LoadFromEnumerable(texts.Select((t, i) => new Row { Text = t, Embedding = embeddings?[i] ?? new float[SentenceEmbeddings.Dimensions] }));
        var featurize = ml.Transforms.Text.NormalizeText("Normalized", nameof(Row.Text), TextNormalizingEstimator.CaseMode.Lower, keepDiacritics: false, keepPunctuations: false, keepNumbers: false)
            .Append(ml.Transforms.Text.TokenizeIntoWords("Words", "Normalized"))
            .Append(ml.Transforms.Text.RemoveDefaultStopWords("Words"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Words"))
            .Append(ml.Transforms.Text.ProduceNgrams("Counts", "Words", ngramLength: 2, useAllLengths: true, weighting: NgramExtractingEstimator.WeightingCriteria.TfIdf))
            .Append(ml.Transforms.NormalizeLpNorm("Features", "Counts"))
            // Latent semantic analysis: the texts in the few directions that explain most of their terms, where reviews
            // that say the same thing in different words come close; k-means on raw term vectors of short texts mostly
            // groups them by the odd shared word.
            .Append(ml.Transforms.ProjectToPrincipalComponents("Concepts", "Features", rank: Math.Min(Concepts, texts.Count / 2), seed: seed))
            .Append(ml.Transforms.NormalizeLpNorm("Space", "Concepts"));
        var features = featurize.Fit(data).Transform(data);
        features = ml.Data.Cache(features);

        var column = space == ThemeSpace.Encoder ? nameof(Row.Embedding) : "Space";
        var best = count is { } given
            ? Cluster(ml, features, given, column)
            : Enumerable.Range(2, most - 1).Select(k => Cluster(ml, features, k, column)).MinBy(c => c.DaviesBouldin)!;
        return Describe(features, best);
    }

    private sealed record Clustering(ClusteringPredictionTransformer<KMeansModelParameters> Model, IDataView Scored, double DaviesBouldin);

    private static Clustering Cluster(MLContext ml, IDataView features, int k, string column)
    {
        var trainer = ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
        {
            FeatureColumnName = column,
            NumberOfClusters = k,
            NumberOfThreads = 1, // the same texts give the same themes
            InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus,
        });
        var model = trainer.Fit(features);
        var scored = model.Transform(features);
        var metrics = ml.Clustering.Evaluate(scored, scoreColumnName: "Score", featureColumnName: column);
        return new Clustering(model, scored, metrics.DaviesBouldinIndex);
    }

    private static TextThemes Describe(IDataView features, Clustering clustering)
    {
        var assigned = new List<(uint Cluster, float Distance, float[] Terms)>();
        var schema = clustering.Scored.Schema;
        using (var cursor = clustering.Scored.GetRowCursor(schema.Where(c => c.Name is "PredictedLabel" or "Score" or "Features")))
        {
            var label = cursor.GetGetter<uint>(schema["PredictedLabel"]);
            var score = cursor.GetGetter<VBuffer<float>>(schema["Score"]);
            var vector = cursor.GetGetter<VBuffer<float>>(schema["Features"]);
            uint cluster = 0;
            VBuffer<float> distances = default, terms = default;
            while (cursor.MoveNext())
            {
                label(ref cluster);
                score(ref distances);
                vector(ref terms);
                assigned.Add((cluster, distances.DenseValues().ElementAt((int)cluster - 1), terms.DenseValues().ToArray()));
            }
        }

        var names = default(VBuffer<ReadOnlyMemory<char>>);
        features.Schema["Counts"].GetSlotNames(ref names);
        var vocabulary = names.DenseValues().Select(n => n.ToString().Replace('|', ' ')).ToArray();
        var themes = assigned.Select((a, i) => (a, i)).GroupBy(x => x.a.Cluster).Select(group =>
        {
            var members = group.OrderBy(x => x.a.Distance).ThenBy(x => x.i).Select(x => x.i).ToList();
            // The theme's terms: those weighing most in its texts on average.
            var weight = new double[vocabulary.Length];
            foreach (var (a, _) in group)
                for (var s = 0; s < weight.Length; s++) weight[s] += a.Terms[s];
            var top = Enumerable.Range(0, weight.Length).Where(s => weight[s] > 0).OrderByDescending(s => weight[s]).ThenBy(s => s)
                .Select(s => vocabulary[s]).Take(TermsPerTheme).ToList();
            return (Cluster: group.Key, Theme: new TextTheme(members, top));
        }).OrderByDescending(t => t.Theme.Texts.Count).ThenBy(t => t.Cluster).ToList();

        var themeOfCluster = themes.Select((t, index) => (t.Cluster, index)).ToDictionary(x => x.Cluster, x => x.index);
        return new TextThemes([.. themes.Select(t => t.Theme)], [.. assigned.Select(a => themeOfCluster[a.Cluster])], clustering.DaviesBouldin);
    }

    private sealed class Row
    {
        public string Text { get; set; } = "";

        [VectorType(SentenceEmbeddings.Dimensions)]
        public float[] Embedding { get; set; } = [];
    }
}
