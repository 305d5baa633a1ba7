using Planner.Llm;
using static Planner.Tests.Llm.GgufBytes;

namespace Planner.Tests.Llm;

/// <summary>The GGUF reader holds files to llama.cpp's loader rules: what it accepts llama.cpp can load, what llama.cpp
/// would refuse (or abort on) is refused here with a one-line reason.</summary>
public sealed class GgufReaderRulesTests : IDisposable
{
    private readonly TempFolder folder = new("gguf-rules");

    public void Dispose() => folder.Dispose();

    private string Refusal(GgufBytes file, bool withData = true)
    {
        var path = Path.Combine(folder.Path, "m.gguf");
        File.WriteAllBytes(path, file.Build(withData));
        return Assert.Throws<InvalidDataException>(() => GgufReader.Read(path)).Message;
    }

    private GgufInfo Read(GgufBytes file)
    {
        var path = Path.Combine(folder.Path, "m.gguf");
        File.WriteAllBytes(path, file.Build());
        return GgufReader.Read(path);
    }

    [Fact]
    public void A_well_formed_file_with_several_tensors_in_a_row_is_read()
    {
        var info = Read(Gpt2().WithTensor("a", [32, 3], 8).WithTensor("b", [5]).WithTensor("c", [2, 2, 2, 2], 1));
        Assert.Equal(["a", "b", "c"], info.TensorNames);
        Assert.Equal(32 * 3 + 5 + 16, info.Parameters);
    }

    [Fact]
    public void An_array_of_arrays_is_refused_as_llama_cpp_refuses_it()
    {
        var nested = Gpt2().With("general.tags", Array(9, 1, w => { w.Write(4u); w.Write(1L); w.Write(7u); }));
        Assert.Equal("m.gguf has an array of arrays in 'general.tags' (llama.cpp refuses them): the file is corrupt.", Refusal(nested));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(15L)]
    [InlineData(-5L)]
    [InlineData(1_048_577L)]
    [InlineData(long.MaxValue)]
    public void A_declared_context_length_outside_16_to_a_million_tokens_is_refused(long context)
    {
        var file = new GgufBytes().With("general.architecture", Str("gpt2")).With("gpt2.context_length", I64(context));
        Assert.Equal($"m.gguf declares a context of {context} tokens; a usable model has 16 to 1,048,576.", Refusal(file));
    }

    [Fact]
    public void A_negative_context_length_stored_as_a_signed_32_bit_number_is_refused()
    {
        var file = new GgufBytes().With("general.architecture", Str("gpt2")).With("gpt2.context_length", I32(-1));
        Assert.StartsWith("m.gguf declares a context of -1 tokens", Refusal(file));
    }

    [Theory]
    [InlineData(16L)]
    [InlineData(1_048_576L)]
    public void The_context_bounds_themselves_are_accepted(long context) =>
        Assert.Equal((int)context, Read(Gpt2(context)).ContextLength);

    [Fact]
    public void A_key_given_twice_is_refused() =>
        Assert.Equal("m.gguf has the metadata key 'general.name' twice: the file is corrupt.",
            Refusal(Gpt2().With("general.name", Str("a")).With("general.name", Str("b"))));

    [Fact]
    public void Two_tensors_of_one_name_are_refused() =>
        Assert.Equal("m.gguf has two tensors named 'w': the file is corrupt.", Refusal(Gpt2().WithTensor("w", [4]).WithTensor("w", [4])));

    [Fact]
    public void A_tensor_name_longer_than_ggml_holds_is_refused() =>
        Assert.Equal("m.gguf declares a tensor name of 64 bytes: the file is truncated or corrupt.", Refusal(Gpt2().WithTensor(new string('w', 64), [4])));

    [Fact]
    public void Tensors_with_a_gap_or_an_overlap_between_them_are_refused()
    {
        Assert.Equal("m.gguf is corrupt: tensor b starts at offset 64, not 32.", Refusal(Gpt2().WithTensor("a", [4]).WithTensor("b", [4], offset: 64)));
        Assert.Equal("m.gguf is corrupt: tensor b starts at offset 0, not 32.", Refusal(Gpt2().WithTensor("a", [4]).WithTensor("b", [4], offset: 0)));
    }

    [Fact]
    public void An_unaligned_first_tensor_is_refused() =>
        Assert.Equal("m.gguf is corrupt: tensor a starts at offset 4, not 0.", Refusal(Gpt2().WithTensor("a", [4], offset: 4)));

    [Fact]
    public void A_tensor_type_ggml_does_not_know_is_refused() =>
        Assert.StartsWith("m.gguf has a tensor (w) of unknown type 4:", Refusal(Gpt2().WithTensor("w", [4], type: 4), withData: false));

    [Fact]
    public void Rows_that_are_not_whole_quantisation_blocks_are_refused() =>
        Assert.Equal("m.gguf has a tensor (w) whose rows are not whole blocks of Q8_0: the file is corrupt.", Refusal(Gpt2().WithTensor("w", [33, 32], type: 8), withData: false));

    [Fact]
    public void An_alignment_stored_as_anything_but_a_uint32_is_refused_before_llama_cpp_aborts_on_it() =>
        Assert.Equal("m.gguf is corrupt: its alignment is not stored as a 32-bit whole number.", Refusal(Gpt2().With("general.alignment", I64(32))));

    [Fact]
    public void Counts_the_file_cannot_hold_are_refused_before_any_loop()
    {
        var bytes = Gpt2().Build();
        BitConverter.GetBytes(900_000L).CopyTo(bytes, 16); // metadata entries: plausible, but not in a file of a few dozen bytes
        var path = Path.Combine(folder.Path, "many.gguf");
        File.WriteAllBytes(path, bytes);
        Assert.Equal($"many.gguf is truncated: its header declares 0 tensors and 900000 metadata entries, more than its {bytes.Length} bytes hold.",
            Assert.Throws<InvalidDataException>(() => GgufReader.Read(path)).Message);
    }

    [Fact]
    public void A_string_length_that_overflows_is_refused()
    {
        var file = Gpt2().With("general.name", new Value(8, w => { w.Write(ulong.MaxValue); w.Write("x"u8); }));
        Assert.Equal("m.gguf declares a string of -1 bytes: the file is truncated or corrupt.", Refusal(file));
    }

    [Fact]
    public void Tensors_whose_padded_sizes_sum_past_a_long_are_refused()
    {
        var file = Gpt2().WithTensor("a", [1L << 60], offset: 0).WithTensor("b", [1L << 60], offset: 1L << 62);
        Assert.Equal("m.gguf declares sizes past any file: the file is corrupt.", Refusal(file, withData: false));
    }
}
