using Planner.Engine.Model;
using Planner.Engine.Tokenization;
using static TorchSharp.torch;

namespace Planner.Engine.Export;

/// <summary>Exports a GPT to a GGUF that llama.cpp (LLamaSharp) loads as architecture "gpt2", with the full GPT-2
/// tokenizer embedded. Our Linear weights are already [out, in], which is what llama.cpp expects, so the export is a
/// rename table (nanoGPT/HF names -> llama.cpp names) and no transposes.</summary>
public static class GgufExporter
{
    public static void Export(Gpt model, string path, GgufDataType type, string name = "planner-gpt2", string? chatTemplate = null)
    {
        var c = model.Config;
        if (c.VocabSize != Gpt2Tokenizer.VocabularySize)
            throw new ArgumentException($"GGUF export embeds GPT-2's tokenizer and needs a {Gpt2Tokenizer.VocabularySize}-token vocabulary, not {c.VocabSize}.");
        var vocabulary = Gpt2Vocabulary.Instance;
        var gguf = new GgufWriter();
        gguf.AddString("general.architecture", "gpt2");
        gguf.AddString("general.name", name);
        gguf.AddUInt32("general.file_type", type switch { GgufDataType.F32 => 0u, GgufDataType.F16 => 1u, _ => 7u }); // llama_ftype: ALL_F32, MOSTLY_F16, MOSTLY_Q8_0
        gguf.AddUInt32("general.quantization_version", 2);
        gguf.AddUInt32("gpt2.context_length", (uint)c.ContextLength);
        gguf.AddUInt32("gpt2.embedding_length", (uint)c.Embedding);
        gguf.AddUInt32("gpt2.feed_forward_length", (uint)(4 * c.Embedding));
        gguf.AddUInt32("gpt2.block_count", (uint)c.Layers);
        gguf.AddUInt32("gpt2.attention.head_count", (uint)c.Heads);
        gguf.AddFloat32("gpt2.attention.layer_norm_epsilon", (float)c.LayerNormEpsilon);
        gguf.AddString("tokenizer.ggml.model", "gpt2");
        gguf.AddString("tokenizer.ggml.pre", "gpt-2");
        gguf.AddStringArray("tokenizer.ggml.tokens", vocabulary.Tokens);
        gguf.AddInt32Array("tokenizer.ggml.token_type", vocabulary.TokenTypes);
        gguf.AddStringArray("tokenizer.ggml.merges", vocabulary.Merges);
        // llama.cpp's defaults for these are wrong for GPT-2, whose only special token is <|endoftext|>.
        gguf.AddUInt32("tokenizer.ggml.bos_token_id", Gpt2Tokenizer.EndOfText);
        gguf.AddUInt32("tokenizer.ggml.eos_token_id", Gpt2Tokenizer.EndOfText);
        gguf.AddUInt32("tokenizer.ggml.unknown_token_id", Gpt2Tokenizer.EndOfText);
        gguf.AddBool("tokenizer.ggml.add_bos_token", false);
        if (chatTemplate is not null) gguf.AddString("tokenizer.chat_template", chatTemplate); // a Jinja template, as Hugging Face tokenizers keep it

        foreach (var (ourName, tensor) in model.state_dict())
        {
            var shape = tensor.shape;
            var data = tensor.detach().to(CPU).contiguous().to_type(ScalarType.Float32).data<float>().ToArray();
            // Norms and biases (1-D) stay F32, like llama.cpp's converter; matrices take the requested type.
            gguf.AddTensor(GgufName(ourName), shape, shape.Length >= 2 ? type : GgufDataType.F32, data);
        }
        gguf.Write(path);
    }

    /// <summary>nanoGPT / Hugging Face GPT-2 parameter name -> llama.cpp tensor name.</summary>
    public static string GgufName(string name)
    {
        if (name == "wte.weight") return "token_embd.weight";
        if (name == "wpe.weight") return "position_embd.weight";
        if (name.StartsWith("ln_f.", StringComparison.Ordinal)) return "output_norm." + name["ln_f.".Length..];
        var parts = name.Split('.', 3);                                              // h, N, rest
        if (parts.Length == 3 && parts[0] == "h")
        {
            var rest = parts[2];
            var mapped = rest switch
            {
                _ when rest.StartsWith("ln_1.", StringComparison.Ordinal) => "attn_norm." + rest[5..],
                _ when rest.StartsWith("attn.c_attn.", StringComparison.Ordinal) => "attn_qkv." + rest[12..],
                _ when rest.StartsWith("attn.c_proj.", StringComparison.Ordinal) => "attn_output." + rest[12..],
                _ when rest.StartsWith("ln_2.", StringComparison.Ordinal) => "ffn_norm." + rest[5..],
                _ when rest.StartsWith("mlp.c_fc.", StringComparison.Ordinal) => "ffn_up." + rest[9..],
                _ when rest.StartsWith("mlp.c_proj.", StringComparison.Ordinal) => "ffn_down." + rest[11..],
                _ => null,
            };
            if (mapped is not null) return $"blk.{parts[1]}.{mapped}";
        }
        throw new ArgumentException($"No GGUF name for parameter '{name}'.");
    }
}
