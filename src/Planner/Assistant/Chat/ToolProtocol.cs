using System.Text;
using System.Text.Json;
using Microsoft.SemanticKernel;

namespace Planner.Assistant.Chat;

/// <summary>Tool use for local models, which have no native function calling: the model answers under a grammar
/// generated from the plugins' metadata with <c>{"tool": name, "arguments": {...}}</c> (or <c>{"tool": "none", ...}</c>
/// to answer directly), and the call is checked against the function's parameters before anything runs. Bounded
/// strings and lists keep a weak model from looping inside the JSON.</summary>
public static class ToolProtocol
{
    public const string None = "none";
    private const int MaxStringChars = 80;
    private const int MaxListItems = 4;

    public static string Grammar(IReadOnlyList<KernelFunction> functions)
    {
        var g = new StringBuilder();
        g.Append("root ::= ").Append(string.Join(" | ", functions.Select((_, n) => $"f{n}").Append("none"))).Append('\n');
        g.Append("none ::= \"{\\\"tool\\\": \\\"none\\\", \\\"arguments\\\": {}}\"\n");
        for (var n = 0; n < functions.Count; n++)
        {
            var f = functions[n];
            g.Append('f').Append(n).Append(" ::= \"{\\\"tool\\\": \\\"").Append(f.Name).Append("\\\", \\\"arguments\\\": {\"");
            var parameters = f.Metadata.Parameters;
            for (var p = 0; p < parameters.Count; p++)
            {
                g.Append(p == 0 ? " \"\\\"" : " \", \\\"").Append(parameters[p].Name).Append("\\\": \" ").Append(Rule(parameters[p].ParameterType));
            }
            g.Append(" \"}}\"\n");
        }
        g.Append("str ::= \"\\\"\" char{0,").Append(MaxStringChars).Append("} \"\\\"\"\n");
        g.Append("strs ::= \"[\" str (\", \" str){0,").Append(MaxListItems - 1).Append("} \"]\"\n");
        g.Append("int ::= \"0\" | \"-\"? [1-9] [0-9]{0,5}\n");
        g.Append("char ::= ").Append(Drafting.DraftGrammar.TextChar).Append('\n');
        return g.ToString();
    }

    private static string Rule(Type? type) =>
        type == typeof(string) ? "str" :
        type == typeof(string[]) || type == typeof(IReadOnlyList<string>) || type == typeof(List<string>) ? "strs" :
        type == typeof(int) || type == typeof(long) ? "int" :
        throw new NotSupportedException($"Tool parameters of type {type} have no grammar rule.");

    /// <summary>A parsed, checked tool call; <see cref="Function"/> is null for "none".</summary>
    public sealed record Call(KernelFunction? Function, KernelArguments Arguments, string Json);

    /// <summary>The call, or a message saying why it cannot be executed (unknown tool, missing or mistyped argument).</summary>
    public static Call Parse(string reply, IReadOnlyList<KernelFunction> functions, out string? error)
    {
        error = null;
        var none = new Call(null, [], reply);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(reply.Trim());
        }
        catch (JsonException)
        {
            error = "The model's tool call is not valid JSON; it was ignored.";
            return none;
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("tool", out var toolElement) || toolElement.ValueKind != JsonValueKind.String)
            {
                error = "The model's tool call names no tool; it was ignored.";
                return none;
            }
            var tool = toolElement.GetString()!;
            if (tool == None) return none;
            var function = functions.FirstOrDefault(f => f.Name == tool);
            if (function is null)
            {
                error = $"The model asked for a tool that does not exist ('{tool}'); it was ignored.";
                return none;
            }
            var args = root.TryGetProperty("arguments", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
            var arguments = new KernelArguments();
            foreach (var parameter in function.Metadata.Parameters)
            {
                if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty(parameter.Name, out var value))
                {
                    if (parameter.IsRequired) { error = $"The call of {tool} lacks the argument '{parameter.Name}'; it was ignored."; return none; }
                    continue;
                }
                object? converted = parameter.ParameterType switch
                {
                    var t when t == typeof(string) && value.ValueKind == JsonValueKind.String => value.GetString(),
                    var t when t == typeof(int) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) => i,
                    var t when t == typeof(string[]) && value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String)
                        => value.EnumerateArray().Select(x => x.GetString()!).ToArray(),
                    _ => null,
                };
                if (converted is null) { error = $"The argument '{parameter.Name}' of {tool} has the wrong type; the call was ignored."; return none; }
                arguments[parameter.Name] = converted;
            }
            if (args.ValueKind == JsonValueKind.Object)
            {
                var unknown = args.EnumerateObject().Select(p => p.Name).Except(function.Metadata.Parameters.Select(p => p.Name)).ToList();
                if (unknown.Count > 0) { error = $"The call of {tool} has unknown arguments ({string.Join(", ", unknown)}); it was ignored."; return none; }
            }
            return new Call(function, arguments, reply.Trim());
        }
    }
}
