using Planner.Engine.Data;
using Planner.Engine.Tokenization;

namespace Planner.Engine.Tests.Data;

public class TokenDatasetTests
{
    private static List<TextDocument> Documents(int count, int words) =>
        [.. Enumerable.Range(0, count).Select(i => new TextDocument($"doc{i}", string.Join(' ', Enumerable.Range(0, words).Select(w => $"doc{i}word{w % 7}"))))];

    [Fact]
    public void The_split_is_by_document_separated_by_end_of_text_and_deterministic_by_seed()
    {
        var documents = Documents(10, 60);
        var a = TokenDataset.Build(documents, 256, seed: 1);
        var b = TokenDataset.Build(documents, 256, seed: 1);
        var c = TokenDataset.Build(documents, 256, seed: 2);
        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Validation, b.Validation);
        Assert.NotEqual(a.Validation, c.Validation);
        Assert.Equal((9, 1), (a.TrainDocuments, a.ValidationDocuments));
        Assert.Equal(9, a.Train.Count(t => t == Gpt2Tokenizer.EndOfText));
        Assert.Equal(Gpt2Tokenizer.EndOfText, a.Validation[^1]);

        // The held-out document's text appears in validation only.
        var heldOut = Gpt2Tokenizer.Instance.Decode(a.Validation);
        var name = heldOut[..heldOut.IndexOf("word", StringComparison.Ordinal)];
        Assert.DoesNotContain(name + "word", Gpt2Tokenizer.Instance.Decode(a.Train));
    }

    [Fact]
    public void An_empty_corpus_is_refused_with_how_much_text_is_needed()
    {
        var error = Assert.Throws<CorpusException>(() => TokenDataset.Build([], 256, seed: 1));
        Assert.Contains("257 tokens", error.Message);
    }

    [Fact]
    public void A_corpus_shorter_than_one_context_is_refused_with_how_much_more_text_is_needed()
    {
        var error = Assert.Throws<CorpusException>(() => TokenDataset.Build([new TextDocument("a", "Just a short note."), new TextDocument("b", "Another.")], 256, seed: 1));
        Assert.Contains("too short", error.Message);
        Assert.Contains("more characters", error.Message);
    }

    [Fact]
    public void Training_batches_depend_only_on_seed_and_step()
    {
        var data = TokenDataset.Build(Documents(4, 400), 256, seed: 3);
        var (x1, y1) = data.TrainingBatch(2, 256, seed: 3, step: 5, microStep: 0);
        var (x2, _) = data.TrainingBatch(2, 256, seed: 3, step: 5, microStep: 0);
        var (x3, _) = data.TrainingBatch(2, 256, seed: 3, step: 6, microStep: 0);
        Assert.True(x1.equal(x2).all().item<bool>());
        Assert.False(x1.equal(x3).all().item<bool>());
        Assert.True(x1[.., 1..].equal(y1[.., ..^1]).all().item<bool>()); // targets are the inputs shifted by one
    }
}
