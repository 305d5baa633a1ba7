using Microsoft.SemanticKernel;

namespace Planner.Assistant;

/// <summary>The Semantic Kernel prompt templates in prompts/ (one folder per function: skprompt.txt + config.json),
/// loaded and checked together so that a broken template stops start-up with the file's name, not a later request.</summary>
public sealed class PromptLibrary
{
    private readonly Dictionary<string, IPromptTemplate> templates;

    public static string DefaultFolder => Path.Combine(AppContext.BaseDirectory, "prompts");

    private PromptLibrary(Dictionary<string, IPromptTemplate> templates) => this.templates = templates;

    public IReadOnlyCollection<string> Names => templates.Keys;

    public static PromptLibrary Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new InvalidOperationException($"The prompts folder {folder} is missing.");
        // Passages and questions go into plain-text prompts, not chat markup: render them as they are.
        var factory = new KernelPromptTemplateFactory { AllowDangerouslySetContent = true };
        var loaded = new Dictionary<string, IPromptTemplate>(StringComparer.Ordinal);
        foreach (var dir in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            var templateFile = Path.Combine(dir, "skprompt.txt");
            var configFile = Path.Combine(dir, "config.json");
            try
            {
                var config = File.Exists(configFile) ? PromptTemplateConfig.FromJson(File.ReadAllText(configFile)) : new PromptTemplateConfig();
                config.Name = name;
                config.Template = File.ReadAllText(templateFile);
                var template = factory.Create(config);
                // Every declared variable must appear in the template, and the template must render.
                foreach (var variable in config.InputVariables.Where(v => !config.Template.Contains("{{$" + v.Name + "}}", StringComparison.Ordinal)))
                    throw new InvalidOperationException($"declares the variable '{variable.Name}' but never uses it");
                template.RenderAsync(new Kernel(), new KernelArguments(config.InputVariables.ToDictionary(v => v.Name, v => (object?)"x"))).GetAwaiter().GetResult();
                loaded[name] = template;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidOperationException($"The prompt template {Path.GetRelativePath(folder, dir)} is broken ({(File.Exists(templateFile) ? configFile : templateFile)}): {e.Message}", e);
            }
        }
        return new PromptLibrary(loaded);
    }

    public async Task<string> RenderAsync(string name, IReadOnlyDictionary<string, object?> arguments, CancellationToken ct = default)
    {
        if (!templates.TryGetValue(name, out var template)) throw new ArgumentException($"No prompt template '{name}'.", nameof(name));
        return await template.RenderAsync(new Kernel(), new KernelArguments(arguments.ToDictionary(p => p.Key, p => p.Value)), ct);
    }
}
