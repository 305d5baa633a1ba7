using Planner.Engine.Tokenization;

namespace Planner.Engine.Tests.Tokenization;

public class Gpt2TokenizerTests
{
    [Fact]
    public void Hello_world_encodes_to_the_gpt2_ids()
    {
        Assert.Equal([15496, 995], Gpt2Tokenizer.Instance.Encode("Hello world"));
    }

    [Fact]
    public void Decoding_inverts_encoding_and_drops_the_end_of_text_separator()
    {
        var text = "Roadmaps: Q3 → ship invoicing, ünïcödé & emoji 🚀.";
        var ids = Gpt2Tokenizer.Instance.Encode(text);
        Assert.Equal(text, Gpt2Tokenizer.Instance.Decode([.. ids, Gpt2Tokenizer.EndOfText]));
        Assert.DoesNotContain(Gpt2Tokenizer.EndOfText, ids);
    }
}
