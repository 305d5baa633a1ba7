using Planner.Engine.Model;
using Planner.Engine.Training;

namespace Planner.Engine.Tests.Training;

/// <summary>A sentence encoder distilled into GPT-2 (<see cref="SentenceStudent"/>, <see cref="EncoderDistillationObjective"/>),
/// and a classifier's transformer started from the student.</summary>
public class EncoderDistillationTests
{
    private static readonly GptConfig Config = TinyModels.Gpt2Vocabulary;

    /// <summary>Texts of two kinds whose teacher vectors point two ways (with the length of the text as a third,
    /// smaller part), so a student must read the words to match the direction.</summary>
    private static List<TaughtText> Taught(int count, int seed)
    {
        string[] animals = ["cat", "dog", "horse", "sparrow", "otter", "fox", "whale"];
        string[] tools = ["hammer", "wrench", "saw", "drill", "chisel", "pliers", "file"];
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var animal = i % 2 == 0;
            var words = Enumerable.Range(0, 2 + random.Next(4)).Select(_ => (animal ? animals : tools)[random.Next(7)]).ToList();
            var vector = new float[8];
            vector[animal ? 0 : 1] = 1f;
            vector[2] = 0.1f * words.Count;
            return new TaughtText("a " + string.Join(" or a ", words), vector);
        })];
    }

    private static TrainingConfig Settings(int steps) => new()
    {
        MaxSteps = steps, BatchSize = 8, LearningRate = 3e-3, MinLearningRate = 3e-4, WarmupSteps = 3,
        EvaluationInterval = steps, CheckpointInterval = steps, Seed = 5,
    };

    [Fact]
    public void The_student_learns_to_point_each_text_where_the_teacher_does_and_its_checkpoint_says_what_it_is()
    {
        using var student = new SentenceStudent(Config, dimensions: 8, seed: 3);
        var objective = new EncoderDistillationObjective(student, Taught(40, seed: 1), Taught(12, seed: 2));
        var settings = Settings(40);
        var before = objective.Evaluate(settings)!.Loss;
        using var dir = new TempFolder();
        var result = new Trainer(settings).Train(objective, dir.Path);
        var after = objective.Evaluate(settings)!.Loss;

        Assert.InRange(before, 0.5, 1.5); // an untrained student points anywhere: about 1 − 0 on average
        Assert.True(after < 0.1, $"distance from the teacher {before:0.###} -> {after:0.###}");
        Assert.Equal(after, result.BestValidationLoss!.Value, 4);
        var saved = CheckpointStore.ReadMetadata(Path.Combine(dir.Path, "best"));
        Assert.Equal((CheckpointMetadata.SentenceStudent, Config, (IReadOnlyList<string>?)null), (saved.Kind, saved.Model, saved.Labels));
        Assert.Null(objective.ResumeProblem(saved));
        using var other = new SentenceStudent(Config with { Layers = 2 }, dimensions: 8);
        Assert.Equal("is not a sentence-encoder student of this shape.",
            new EncoderDistillationObjective(other, Taught(4, 1), []).ResumeProblem(saved));
    }

    [Fact]
    public void A_classifier_starts_from_the_students_transformer_and_leaves_its_projection_behind()
    {
        using var student = new SentenceStudent(Config, dimensions: 8, seed: 3);
        using var dir = new TempFolder();
        new Trainer(Settings(4)).Train(new EncoderDistillationObjective(student, Taught(16, seed: 1), Taught(4, seed: 2)), dir.Path);
        var checkpoint = Path.Combine(dir.Path, "checkpoint");

        using var classifier = new ClassificationHead(Config, classes: 3, seed: 9, ClassifierPooling.Mean);
        var scoreBefore = classifier.named_parameters().Single(p => p.name == "score.weight").parameter.clone();
        CheckpointModels.LoadTransformerInto(checkpoint, classifier.Transformer);

        var taught = student.Transformer.state_dict();
        var loaded = classifier.Transformer.state_dict();
        Assert.Equal(taught.Keys.Order(), loaded.Keys.Order());
        Assert.All(taught, p => Assert.True(p.Value.allclose(loaded[p.Key], rtol: 0, atol: 0), $"{p.Key} was not copied"));
        // The student trained: its weights are not the classifier's seed-9 start any more, and the score stays the classifier's own.
        using var fresh = new Gpt(Config, seed: 9);
        Assert.False(fresh.state_dict()["h.0.mlp.c_fc.weight"].allclose(loaded["h.0.mlp.c_fc.weight"], rtol: 0, atol: 0));
        Assert.True(scoreBefore.allclose(classifier.named_parameters().Single(p => p.name == "score.weight").parameter, rtol: 0, atol: 0));
    }

    [Fact]
    public void A_classifier_checkpoint_or_a_student_of_another_shape_does_not_load_as_a_start()
    {
        using var dir = new TempFolder();
        using (var head = new ClassificationHead(Config, classes: 2, seed: 1))
            new CheckpointStore().Save(dir.File("classifier"), new CheckpointMetadata(CheckpointMetadata.Classifier, Config, 0, null, 0, Settings(1), ["a", "b"]), head);
        using var target = new Gpt(Config, seed: 2);
        Assert.Equal($"'{dir.File("classifier")}' holds a classifier, not a language model or a sentence-encoder student.",
            Assert.Throws<CheckpointException>(() => CheckpointModels.LoadTransformerInto(dir.File("classifier"), target)).Message);

        using (var wide = new SentenceStudent(Config with { Embedding = 64 }, dimensions: 8, seed: 1))
            new CheckpointStore().Save(dir.File("wide"), new CheckpointMetadata(CheckpointMetadata.SentenceStudent, Config with { Embedding = 64 }, 0, null, 0, Settings(1)), wide);
        Assert.Contains("does not fit this model", Assert.Throws<CheckpointException>(() => CheckpointModels.LoadTransformerInto(dir.File("wide"), target)).Message);
    }

    [Fact]
    public void Teacher_vectors_of_another_width_are_a_programming_error()
    {
        using var student = new SentenceStudent(Config, dimensions: 8, seed: 3);
        Assert.Throws<ArgumentException>(() => new EncoderDistillationObjective(student, [new TaughtText("a cat", new float[7])], []));
        Assert.Throws<Planner.Engine.Data.CorpusException>(() => new EncoderDistillationObjective(student, [], []));
    }
}
