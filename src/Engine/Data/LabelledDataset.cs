namespace Planner.Engine.Data;

/// <summary>Labelled texts (e.g. reviews with their sentiment) and the sorted set of labels. The Engine takes text, not
/// files: a host reads the CSV (Planner parses documents, once, with its safety checks).</summary>
public sealed class LabelledDataset
{
    public IReadOnlyList<LabelledExample> Examples { get; }
    public IReadOnlyList<string> Labels { get; }

    public LabelledDataset(IReadOnlyList<LabelledExample> examples)
    {
        Examples = examples;
        Labels = [.. examples.Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Stratified split: each label contributes the same share to validation (at least one example when it
    /// has two or more), deterministic by seed.</summary>
    public (IReadOnlyList<LabelledExample> Train, IReadOnlyList<LabelledExample> Validation) StratifiedSplit(int seed, double validationFraction = 0.2) =>
        Stratified(Examples, seed, 0x57A7, validationFraction);

    /// <summary>Training, validation and held-out texts, each stratified: the held-out share is exactly
    /// <see cref="StratifiedSplit"/>'s (the texts a report measures), and validation — for choosing a checkpoint and a
    /// model — is <paramref name="validationFraction"/> of the rest, drawn from another random stream, so that what is
    /// chosen is never chosen on the texts it is then measured on.</summary>
    public (IReadOnlyList<LabelledExample> Train, IReadOnlyList<LabelledExample> Validation, IReadOnlyList<LabelledExample> HeldOut) ThreeWaySplit(
        int seed, double heldOutFraction = 0.2, double validationFraction = 0.15)
    {
        var (rest, heldOut) = StratifiedSplit(seed, heldOutFraction);
        var (train, validation) = Stratified(rest, seed, 0x7A11, validationFraction);
        return (train, validation, heldOut);
    }

    private static (IReadOnlyList<LabelledExample> Train, IReadOnlyList<LabelledExample> Validation) Stratified(
        IReadOnlyList<LabelledExample> examples, int seed, int stream, double validationFraction)
    {
        var train = new List<LabelledExample>();
        var validation = new List<LabelledExample>();
        foreach (var (group, index) in examples.GroupBy(e => e.Label).OrderBy(g => g.Key, StringComparer.Ordinal).Select((g, i) => (g.ToArray(), i)))
        {
            DeterministicRandom.For(seed, stream, index).Shuffle(group);
            var held = group.Length < 2 ? 0 : Math.Clamp((int)Math.Round(group.Length * validationFraction), 1, group.Length - 1);
            validation.AddRange(group[..held]);
            train.AddRange(group[held..]);
        }
        return (train, validation);
    }
}
