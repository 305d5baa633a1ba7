namespace Planner.TestSupport;

/// <summary>The command-line cases of the bad-input matrix: roadmap imports, arguments, training settings and model
/// files, each with the refusal a founder must see. "@name" in a case is a file of <see cref="BadInputFiles"/>, written
/// by <see cref="BadInputFiles.WriteAll"/>. Cli.Tests runs every case through the real command tree; the browser suite
/// runs one case of each kind through the built binary, for the process boundary (exit code, nothing but stderr).</summary>
public static partial class BadCliInputs
{
    private static string Docs => RepositoryRoot.SampleData("docs");

    private static BadCliCase Import(string file, string problem) => new(["import", $"@{file}"], 1, $"planner: Nothing was imported from {file}. 1 problem:", problem);

    private static BadCliCase Train(string message, params string[] args) => new(["train", "--corpus", Docs, "--out", "@run", .. args], 1, message);

    private static BadCliCase Generate(string file, string message) => new(["generate", "--model", $"@{file}", "--prompt", "Hi"], 1, $"planner: {file} {message}");

    private static Dictionary<string, BadCliCase> CommonCases => new()
    {
        ["import: malformed JSON"] = Import("malformed.json", "Not valid roadmap JSON (line 1, position 22): Expected start of a property name or value, but instead reached end of data."),
        ["import: dependency cycle"] = Import("cycle.json", "a, 'dependsOn': Dependency cycle: a -> b -> a (each depends on the next)."),
        ["import: unknown team"] = Import("unknown-team.json", "a, 'demand': Unknown team 'be'"),
        ["import: negative duration"] = Import("negative.json", "a, 'durationWeeks': Duration cannot be negative (got -2)."),
        ["import: duplicate id"] = Import("duplicate.json", "a, 'id': The initiative id 'a' is used 2 times; ids must be unique."),
        ["import: empty file"] = Import("empty.json", "The file is empty."),
        ["import: UTF-16 JSON"] = Import("utf16.json", "The file is UTF-16 text; save it as UTF-8 and import it again."),
        ["import: CSV missing column"] = Import("missing-column.csv", "row 1, 'title': Missing column 'title' (or 'summary')."),
        ["import: CSV bad number"] = Import("bad-number.csv", "row 2, i1, 'durationWeeks': 'two' is not a whole number of weeks"),
        ["import: CSV not UTF-8"] = Import("latin1.csv", "The file is not UTF-8 text; save the CSV as UTF-8 and try again."),
        ["import: 50 MB file"] = new(["import", "@huge.json"], 1, "planner: cannot import huge.json: the file is 50 MB; the limit is 10 MB."),
        ["import: unsupported type"] = new(["import", "@notes.xml"], 1, "planner: 'notes.xml' is not a roadmap file: import .json (a whole roadmap) or .csv (initiatives, or an issue tracker's export)."),
        ["import: no such file"] = new(["import", "@nowhere.json"], 1, "planner: cannot import nowhere.json: no such file."),
        ["args: unknown flag"] = new(["export", "--bogus"], 2, "planner: Unrecognized command or argument '--bogus'."),
        ["args: missing value"] = new(["export", "--workspace"], 2, "planner: Required argument missing for option: '--workspace'."),
        ["args: missing argument"] = new(["import"], 2, "planner: Required argument missing for command: 'import'."),
        ["args: value not among the choices"] = new(["export", "--format", "pdf"], 2, "planner: Argument 'pdf' not recognized. Must be one of: 'json' 'csv' 'md' (see 'planner --help')"),
        ["args: not a number"] = new(["train", "--corpus", Docs, "--out", "@run", "--steps", "abc"], 2, "planner: --steps needs a whole number; 'abc' is not one."),
        ["args: decimal comma"] = new(["train", "--corpus", Docs, "--out", "@run", "--lr", "1,5"], 2, "planner: --lr needs a number; '1,5' is not one."),
        ["args: negative number"] = new(["generate", "--model", "@short.gguf", "--prompt", "Hi", "--max-tokens", "-5"], 1, "planner: --max-tokens must be positive."),
        ["args: output path is a folder"] = new(["export", "--out", "@a-folder"], 1, "planner: Cannot write @a-folder: it is a folder, not a file."),
        ["args: unknown workspace"] = new(["export", "--workspace", "Nope"], 1, "planner: there is no workspace named 'Nope'."),
        ["training: steps 0"] = Train("planner: Steps must be between 1 and 100,000.", "--steps", "0"),
        ["training: negative steps"] = Train("planner: Steps must be between 1 and 100,000.", "--steps", "-3"),
        ["training: batch 0"] = Train("planner: Batch must be between 1 and 64.", "--batch", "0"),
        ["training: context not a multiple of 256"] = Train("planner: The context must be 256, 512, 768 or 1024 tokens (a multiple of 256, which llama.cpp needs).", "--context", "300"),
        ["training: negative learning rate"] = Train("planner: The learning rate must be above 0 and at most 0.1.", "--lr", "-0.001"),
        ["training: unknown preset"] = Train("planner: Unknown preset 'huge'; use tiny, small or gpt2.", "--preset", "huge"),
        ["training: eval interval 0"] = Train("planner: The evaluation interval must be at least one step.", "--eval-interval", "0"),
        ["training: unknown precision"] = new(["train", "--corpus", Docs, "--out", "@run", "--precision", "fp16"], 2,
            "planner: Argument 'fp16' not recognized. Must be one of: 'auto' 'fp32' 'bf16' (see 'planner --help')"),
        ["training: classifier, unknown precision"] = new(["train-classifier", "--data", RepositoryRoot.SampleData("reviews.csv"), "--out", "@run", "--precision", "float16"], 2,
            "planner: Argument 'float16' not recognized. Must be one of: 'auto' 'fp32' 'bf16' (see 'planner --help')"),
        ["training: corpus missing"] = new(["train", "--corpus", "@no-corpus", "--out", "@run"], 1, "planner: Corpus '@no-corpus' does not exist."),
        ["training: empty corpus"] = new(["train", "--corpus", "@empty-corpus", "--out", "@run"], 1, "planner: The corpus holds no readable text."),
        ["training: resume without a checkpoint"] = new(["train", "--corpus", Docs, "--out", "@run", "--resume"], 1, "planner: nothing to resume:"),
        ["model: GGUF shorter than its header"] = Generate("short.gguf", "is truncated: 8 bytes, shorter than a GGUF header."),
        ["model: GGUF wrong magic"] = Generate("zip.gguf", "is not a GGUF model file (wrong magic number)."),
        ["model: GGUF huge tensor count"] = Generate("huge-count.gguf", "declares 4611686018427387904 tensors and 2 metadata entries: not a plausible model."),
        ["model: GGUF truncated tensor data"] = Generate("truncated.gguf", "is truncated: its tensors need 262,304 bytes, the file has 144 (an unfinished download?)."),
        ["model: GGUF alignment 0"] = Generate("zero-alignment.gguf", "is corrupt: its alignment 0 is not a power of two."),
        ["model: GGUF dimensions overflow"] = Generate("impossible-dims.gguf", "has a tensor (w) of impossible size: the file is corrupt."),
        ["model: safetensors absurd header length"] = Train("planner: @header-length.safetensors is truncated or not a safetensors file (header claims 4611686018427387904 bytes; the file has 10).", "--init", "@header-length.safetensors"),
        ["model: safetensors offsets past the end"] = Train("planner: @offsets.safetensors is truncated: its tensors need", "--init", "@offsets.safetensors"),
        ["model: safetensors absurd shape"] = Train("planner: @shape.safetensors is corrupted: tensor 'wte.weight' has an impossible shape.", "--init", "@shape.safetensors"),
        ["model: checkpoint with corrupted config"] = new(["eval", "--checkpoint", "@corrupted-checkpoint", "--corpus", Docs], 1, "planner: @corrupted-checkpoint/config.json is corrupted:"),
    };

    /// <summary>Every case by name: these, and those of the other parts of this class (hostile model files, roadmaps at
    /// the domain's bounds). The parts are properties: static fields in other files of a partial class have no set
    /// initialisation order.</summary>
    public static IReadOnlyDictionary<string, BadCliCase> All { get; } =
        CommonCases.Concat(ModelFileCases).Concat(RoadmapBoundCases).ToDictionary(c => c.Key, c => c.Value);

    /// <summary><paramref name="text"/> with every "@name" replaced by that file's path in <paramref name="files"/>.</summary>
    public static string Resolve(string text, string files) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"@([\w.-]+)", m => Path.Combine(files, m.Groups[1].Value));
}
