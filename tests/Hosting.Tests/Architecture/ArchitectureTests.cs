using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Planner.Hosting.Tests.Architecture;

/// <summary>The dependency rule and the folder layout of docs/architecture.md, checked against what is built: a change
/// that breaks the rule, or makes the document untrue, fails here.</summary>
public partial class ArchitectureTests
{
    private static readonly Assembly PlannerCore = typeof(Planner.Roadmaps.Workspace).Assembly;
    private static readonly Assembly Engine = typeof(Planner.Engine.Model.Gpt).Assembly;
    private static readonly Assembly Hosting = typeof(Planner.Hosting.Training.TrainingRun).Assembly;

    private static string Document => File.ReadAllText(RepositoryRoot.File("docs", "architecture.md"));

    [Fact]
    public void Planner_and_Engine_never_reference_each_other_and_only_Hosting_references_both()
    {
        static string[] References(Assembly assembly) => [.. assembly.GetReferencedAssemblies().Select(a => a.Name!)];
        Assert.DoesNotContain(Engine.GetName().Name, References(PlannerCore));
        Assert.DoesNotContain(Hosting.GetName().Name, References(PlannerCore));
        Assert.DoesNotContain(PlannerCore.GetName().Name, References(Engine));
        Assert.DoesNotContain(Hosting.GetName().Name, References(Engine));
        Assert.Contains(PlannerCore.GetName().Name, References(Hosting));
        Assert.Contains(Engine.GetName().Name, References(Hosting));
    }

    [Theory]
    [InlineData("Planner", new string[0])]
    [InlineData("Engine", new string[0])]
    [InlineData("Hosting", new[] { "Engine", "Planner" })]
    [InlineData("Cli", new[] { "DocumentWorker", "Hosting" })]
    [InlineData("Web", new[] { "DocumentWorker", "Hosting" })]
    [InlineData("DocumentWorker", new[] { "Planner" })]
    public void Each_project_references_only_the_layer_below_it(string project, string[] expected)
    {
        var file = XDocument.Load(RepositoryRoot.File("src", project, $"{project}.csproj"));
        var references = file.Descendants("ProjectReference").Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, references);
        Assert.DoesNotContain(file.Descendants("Compile"), c => c.Attribute("Include") is not null); // no source linked in from another project
    }

    public static TheoryData<string> Assemblies() => ["Planner", "Engine", "Hosting"];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void The_folders_use_each_other_as_docs_architecture_says_and_never_in_a_cycle(string name)
    {
        var (assembly, root) = name switch
        {
            "Planner" => (PlannerCore, "Planner"),
            "Engine" => (Engine, "Planner.Engine"),
            _ => (Hosting, "Planner.Hosting"),
        };
        var actual = FolderGraph.Of(assembly, root);
        Assert.Empty(actual.Cycles());

        var documented = DocumentedFolders(name);
        Assert.Equal(documented.Keys.Order(StringComparer.Ordinal), actual.Uses.Keys.Order(StringComparer.Ordinal));
        var wrong = documented.Keys
            .Where(folder => !documented[folder].SetEquals(actual.Uses[folder]))
            .Select(folder => $"{folder}: the document says {Describe(documented[folder])}, the code uses {Describe(actual.Uses[folder])}")
            .ToList();
        Assert.True(wrong.Count == 0, "docs/architecture.md is out of date:\n" + string.Join("\n", wrong));
    }

    private static string Describe(IEnumerable<string> folders) => folders.Any() ? string.Join(", ", folders.Order(StringComparer.Ordinal)) : "nothing";

    /// <summary>The table under "### Folders of NAME": a row per folder, its last cell the folders it uses ("—" for none).</summary>
    private static Dictionary<string, HashSet<string>> DocumentedFolders(string name)
    {
        var section = Document.Split($"### Folders of {name}\n", 2);
        Assert.True(section.Length == 2, $"docs/architecture.md has no section '### Folders of {name}'");
        var rows = section[1].Split('\n').SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2);
        return rows.Select(row => row.Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .ToDictionary(cells => cells[0].Trim('`'), cells => Cells().Matches(cells[^1]).Select(m => m.Value).ToHashSet(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"\(root\)|[A-Z][A-Za-z]+")]
    private static partial Regex Cells();
}
