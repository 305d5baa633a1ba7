using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Planner.Engine.Training;

/// <summary>Reads and writes checkpoint directories: <c>config.json</c> (<see cref="CheckpointMetadata"/>),
/// <c>model.safetensors</c> (the module's state dict, our Linear [out, in] layout) and, for resumable training,
/// <c>optimizer.safetensors</c> (AdamW moments <c>exp_avg.NAME</c>, <c>exp_avg_sq.NAME</c> and <c>step</c>).
/// A save is atomic: everything goes to a sibling temp directory that replaces the old one only once complete, so a
/// crash, a full disk or a cancellation leaves the previous checkpoint intact.</summary>
public sealed class CheckpointStore(Func<string, Stream>? createFile = null)
{
    public const string MetadataFile = "config.json";
    public const string ModelFile = "model.safetensors";
    public const string OptimizerFile = "optimizer.safetensors";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Func<string, Stream> createFile = createFile ?? (path => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20));

    public void Save(string directory, CheckpointMetadata metadata, Module model, AdamWOptimizer? optimizer = null)
    {
        var target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        // A save killed midway (kill -9, power cut) leaves its temp directory behind; it was never the checkpoint.
        foreach (var stale in Directory.EnumerateDirectories(parent, Path.GetFileName(target) + ".tmp-*"))
            Directory.Delete(stale, recursive: true);
        var temp = $"{target}.tmp-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(temp);
            Write(Path.Combine(temp, ModelFile), s => Safetensors.SaveStateDict(s, model.state_dict(), leaveOpen: true));
            if (optimizer is not null)
                Write(Path.Combine(temp, OptimizerFile), s => Safetensors.SaveStateDict(s, optimizer.StateDict(), leaveOpen: true));
            Write(Path.Combine(temp, MetadataFile), s => JsonSerializer.Serialize(s, metadata, Json));

            // Swap: old -> .previous, temp -> target, drop .previous. Load falls back to .previous if a crash lands
            // between the two renames.
            var previous = target + ".previous";
            if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
            if (Directory.Exists(target)) Directory.Move(target, previous);
            Directory.Move(temp, target);
            if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        }
        catch
        {
            try { if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true); } catch (IOException) { }
            throw;
        }
    }

    private void Write(string path, Action<Stream> write)
    {
        using var stream = createFile(path);
        write(stream);
        stream.Flush();
        if (stream is FileStream file) file.Flush(flushToDisk: true);
    }

    /// <summary>The directory to read: the checkpoint itself, or the previous one when a save was interrupted mid-swap.</summary>
    private static string Resolve(string directory)
    {
        var target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        if (File.Exists(Path.Combine(target, MetadataFile))) return target;
        if (File.Exists(Path.Combine(target + ".previous", MetadataFile))) return target + ".previous";
        throw new CheckpointException($"'{directory}' is not a checkpoint: it has no {MetadataFile}.");
    }

    public static bool Exists(string directory)
    {
        var target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        return File.Exists(Path.Combine(target, MetadataFile)) || File.Exists(Path.Combine(target + ".previous", MetadataFile));
    }

    public static CheckpointMetadata ReadMetadata(string directory)
    {
        var path = Path.Combine(Resolve(directory), MetadataFile);
        try
        {
            var metadata = JsonSerializer.Deserialize<CheckpointMetadata>(File.ReadAllText(path), Json)
                           ?? throw new CheckpointException($"{path} is empty.");
            if (metadata.Format != CheckpointMetadata.CurrentFormat)
                throw new CheckpointException($"{path} has format '{metadata.Format}', expected '{CheckpointMetadata.CurrentFormat}'.");
            if (metadata.Model is null || metadata.Training is null)
                throw new CheckpointException($"{path} lacks the model or training settings.");
            metadata.Model.Validated();
            return metadata;
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path} is corrupted: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException($"{path} describes an unusable model: {e.Message}", e);
        }
    }

    /// <summary>Loads the checkpoint's weights into <paramref name="model"/>, checking every name and shape first.</summary>
    public static void LoadModel(string directory, Module model) =>
        LoadStateDictInto(ModelPath(directory), model);

    /// <summary>The weights file of the checkpoint in <paramref name="directory"/> (or of the previous one, see <see cref="Resolve"/>).</summary>
    public static string ModelPath(string directory) => Path.Combine(Resolve(directory), ModelFile);

    public static void LoadOptimizer(string directory, AdamWOptimizer optimizer)
    {
        var path = Path.Combine(Resolve(directory), OptimizerFile);
        var state = ReadSafetensors(path);
        try { optimizer.LoadStateDict(state); }
        catch (ArgumentException e) { throw new CheckpointException($"{path} does not match this model: {e.Message}", e); }
        finally { foreach (var t in state.Values) t.Dispose(); }
    }

    /// <summary>Reads a safetensors file, turning a missing, truncated or corrupted file into a clear error: its header is
    /// checked first (<see cref="SafetensorsHeader"/>), so libtorch is never asked for a shape the file does not hold.</summary>
    public static Dictionary<string, Tensor> ReadSafetensors(string path)
    {
        SafetensorsHeader.Read(path);
        try
        {
            using var stream = File.OpenRead(path);
            return Safetensors.LoadStateDict(stream, leaveOpen: false);
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException or KeyNotFoundException or ArgumentException or FormatException or NotImplementedException)
        {
            throw new CheckpointException($"{path} is corrupted: {e.Message}", e);
        }
    }

    public static void LoadStateDictInto(string path, Module model)
    {
        var state = ReadSafetensors(path);
        try { LoadStateDictInto(state, model, path); }
        finally { foreach (var t in state.Values) t.Dispose(); }
    }

    /// <summary>Copies a state dict into a module after checking that names and shapes match exactly.</summary>
    public static void LoadStateDictInto(IReadOnlyDictionary<string, Tensor> state, Module model, string source)
    {
        var expected = model.state_dict();
        var missing = expected.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var unexpected = state.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new CheckpointException($"{source} does not fit this model: " +
                (missing.Count > 0 ? $"missing {string.Join(", ", missing.Take(3))}{(missing.Count > 3 ? $" and {missing.Count - 3} more" : "")}. " : "") +
                (unexpected.Count > 0 ? $"unexpected {string.Join(", ", unexpected.Take(3))}{(unexpected.Count > 3 ? $" and {unexpected.Count - 3} more" : "")}." : ""));
        foreach (var (name, value) in expected)
            if (!value.shape.SequenceEqual(state[name].shape))
                throw new CheckpointException($"{source} does not fit this model: '{name}' is [{string.Join(", ", state[name].shape)}] there but [{string.Join(", ", value.shape)}] here (different preset or context?).");
        using var _ = no_grad();
        foreach (var (name, value) in expected) value.copy_(state[name]);
    }
}
