using Planner.Engine.Export;

namespace Planner.Engine.Tests.Export;

public class Gpt2VocabularyTests
{
    [Fact]
    public void Merges_rebuilt_from_tiktoken_ranks_are_gpt2s_exactly_50000()
    {
        var vocabulary = Gpt2Vocabulary.Instance;
        Assert.Equal(50257, vocabulary.Tokens.Count);
        Assert.Equal(50000, vocabulary.Merges.Count);
        // The first merges and spellings of GPT-2's merges.txt / encoder.json.
        Assert.Equal(["Ġ t", "Ġ a", "h e", "i n", "r e"], vocabulary.Merges.Take(5));
        Assert.Equal("!", vocabulary.Tokens[0]);
        Assert.Equal("Ġthe", vocabulary.Tokens[262]);
        Assert.Equal("<|endoftext|>", vocabulary.Tokens[50256]);
        Assert.Equal(Gpt2Vocabulary.ControlToken, vocabulary.TokenTypes[50256]);
        Assert.Equal(50256, vocabulary.TokenTypes.Count(t => t == Gpt2Vocabulary.NormalToken));
    }
}
