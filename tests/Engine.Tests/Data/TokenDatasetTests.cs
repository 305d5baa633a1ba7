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
    public void A_single_document_holds_out_its_last_tokens_and_says_so()
    {
        var several = TokenDataset.Build(Documents(10, 60), 256, seed: 1);
        Assert.Equal(FormattableString.Invariant($"9 documents, {several.Train.Length:N0} training tokens; 1 held out ({several.Validation.Length:N0} tokens)"), several.Describe());

        var one = TokenDataset.Build(Documents(1, 600), 256, seed: 1);
        var all = Gpt2Tokenizer.Instance.Encode(Documents(1, 600)[0].Text);
        Assert.Equal((1, 0), (one.TrainDocuments, one.ValidationDocuments));
        Assert.True(one.Validation.Length >= all.Length / 20, $"{one.Validation.Length} of {all.Length} tokens held out");
        Assert.Equal(all.Length + 1, one.Train.Length + one.Validation.Length); // the text and its end-of-text, split once
        Assert.Equal(FormattableString.Invariant($"1 document, {one.Train.Length:N0} training tokens; its last {one.Validation.Length:N0} tokens held out"), one.Describe());
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
