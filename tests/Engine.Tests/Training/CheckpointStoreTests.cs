using Planner.Engine.Model;
using Planner.Engine.Training;
using TorchSharp;

namespace Planner.Engine.Tests.Training;

public class CheckpointStoreTests
{
    private static readonly GptConfig Toy = new(VocabSize: 97, ContextLength: 256, Layers: 1, Heads: 2, Embedding: 32);

    private static CheckpointMetadata Metadata(long step, GptConfig? model = null) =>
        new(CheckpointMetadata.LanguageModel, model ?? Toy, step, 1.5, 0, new TrainingConfig());

    /// <summary>A file that accepts <paramref name="capacity"/> bytes, then fails like a full disk.</summary>
    private sealed class FullDiskStream(Stream inner, long capacity) : Stream
    {
        private long written;
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (written + count > capacity) throw new IOException("No space left on device");
            inner.Write(buffer, offset, count);
            written += count;
        }
        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);
        public override void Flush() => inner.Flush();
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => written;
        public override long Position { get => written; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Fact]
    public void A_checkpoint_round_trips_weights_and_self_describing_config()
    {
        using var dir = new TempFolder();
        torch.manual_seed(1);
        using var model = new Gpt(Toy);
        new CheckpointStore().Save(dir.File("ckpt"), Metadata(12), model);
        var metadata = CheckpointStore.ReadMetadata(dir.File("ckpt"));
        Assert.Equal(Toy, metadata.Model);
        Assert.Equal(12, metadata.Step);
        Assert.Equal(1.5, metadata.BestValidationLoss);
        using var loaded = new Gpt(Toy);
        CheckpointStore.LoadModel(dir.File("ckpt"), loaded);
        Assert.True(loaded.state_dict()["h.0.mlp.c_fc.weight"].equal(model.state_dict()["h.0.mlp.c_fc.weight"]).all().item<bool>());
        Assert.Contains("\"contextLength\": 256", File.ReadAllText(Path.Combine(dir.File("ckpt"), "config.json")));
    }

    [Fact]
    public void A_disk_full_during_a_save_leaves_the_previous_checkpoint_valid()
    {
        using var dir = new TempFolder();
        torch.manual_seed(2);
        using var first = new Gpt(Toy);
        new CheckpointStore().Save(dir.File("ckpt"), Metadata(1), first);

        torch.manual_seed(3);
        using var second = new Gpt(Toy);
        var failing = new CheckpointStore(path => new FullDiskStream(File.Create(path), capacity: 10_000));
        Assert.Throws<IOException>(() => failing.Save(dir.File("ckpt"), Metadata(2), second));

        Assert.Equal(1, CheckpointStore.ReadMetadata(dir.File("ckpt")).Step);
        using var loaded = new Gpt(Toy);
        CheckpointStore.LoadModel(dir.File("ckpt"), loaded);
        Assert.True(loaded.state_dict()["wte.weight"].equal(first.state_dict()["wte.weight"]).all().item<bool>());
        Assert.Equal(["ckpt"], Directory.GetDirectories(dir.Path).Select(Path.GetFileName)); // no temp directory left behind
    }

    [Fact]
    public void A_truncated_safetensors_file_is_a_clear_error()
    {
        using var dir = new TempFolder();
        using var model = new Gpt(Toy);
        new CheckpointStore().Save(dir.File("ckpt"), Metadata(1), model);
        var weights = Path.Combine(dir.File("ckpt"), CheckpointStore.ModelFile);
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<CheckpointException>(() => CheckpointStore.LoadModel(dir.File("ckpt"), model));
        Assert.Contains("truncated", error.Message);

        File.WriteAllBytes(weights, [1, 2, 3]);
        Assert.Contains("truncated", Assert.Throws<CheckpointException>(() => CheckpointStore.LoadModel(dir.File("ckpt"), model)).Message);
        File.WriteAllBytes(weights, [.. BitConverter.GetBytes(20L), .. "{\"a\": [not json]}   "u8.ToArray()]);
        Assert.Contains("corrupted", Assert.Throws<CheckpointException>(() => CheckpointStore.LoadModel(dir.File("ckpt"), model)).Message);
    }

    [Fact]
    public void The_training_precision_is_written_by_name_and_a_checkpoint_from_before_it_reads_as_float32()
    {
        using var dir = new TempFolder();
        using var model = new Gpt(Toy);
        new CheckpointStore().Save(dir.File("ckpt"), Metadata(3) with { Training = new TrainingConfig { Precision = TrainingPrecision.Bf16 } }, model);
        var config = File.ReadAllText(Path.Combine(dir.File("ckpt"), CheckpointStore.MetadataFile));
        Assert.Contains("\"precision\": \"bf16\"", config);
        Assert.Equal(TrainingPrecision.Bf16, CheckpointStore.ReadMetadata(dir.File("ckpt")).Training.Precision);

        var old = System.Text.Json.Nodes.JsonNode.Parse(config)!;
        Assert.True(old["training"]!.AsObject().Remove("precision"));
        dir.Write("old/config.json", old.ToJsonString());
        Assert.Equal(TrainingPrecision.Fp32, CheckpointStore.ReadMetadata(dir.File("old")).Training.Precision);
        dir.Write("odd/config.json", config.Replace("\"bf16\"", "\"fp16\"", StringComparison.Ordinal));
        Assert.Contains("corrupted", Assert.Throws<CheckpointException>(() => CheckpointStore.ReadMetadata(dir.File("odd"))).Message);
    }

    [Fact]
    public void A_corrupted_config_json_is_a_clear_error()
    {
        using var dir = new TempFolder();
        dir.Write("ckpt/config.json", "{ \"format\": \"planner-gpt2-checkpoint/1\", \"model\": ");
        Assert.Contains("corrupted", Assert.Throws<CheckpointException>(() => CheckpointStore.ReadMetadata(dir.File("ckpt"))).Message);
        Assert.Contains("not a checkpoint", Assert.Throws<CheckpointException>(() => CheckpointStore.ReadMetadata(dir.Path)).Message);
    }

    [Fact]
    public void Loading_a_checkpoint_into_a_model_of_another_shape_names_the_mismatch()
    {
        using var dir = new TempFolder();
        using var model = new Gpt(Toy);
        new CheckpointStore().Save(dir.File("ckpt"), Metadata(1), model);
        using var wider = new Gpt(Toy with { Embedding = 64 });
        var error = Assert.Throws<CheckpointException>(() => CheckpointStore.LoadModel(dir.File("ckpt"), wider));
        Assert.Contains("wte.weight", error.Message);
        using var deeper = new Gpt(Toy with { Layers = 2 });
        Assert.Contains("missing h.1.", Assert.Throws<CheckpointException>(() => CheckpointStore.LoadModel(dir.File("ckpt"), deeper)).Message);
    }
}
