using System.Text.Json;
using System.Text.Json.Serialization;

namespace Planner.Interchange;

/// <summary>Reads a key result from plain text or from an object with text, unit, start, current and target; writes
/// plain text when it has neither numbers nor a unit, so files without measured key results read as before.</summary>
public sealed class KeyResultDocumentConverter : JsonConverter<KeyResultDocument>
{
    public override KeyResultDocument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
            return new KeyResultDocument(reader.GetString()!);
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("A key result is text or an object {\"text\": \"…\", \"unit\": \"…\", \"start\": 0, \"current\": 0, \"target\": 0}.");

        string? text = null, unit = null;
        double? start = null, current = null, target = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case "text" or "unit" when reader.TokenType is JsonTokenType.String or JsonTokenType.Null:
                    if (property == "text") text = reader.GetString();
                    else unit = reader.GetString();
                    break;
                case "start" or "current" or "target" when reader.TokenType is JsonTokenType.Number or JsonTokenType.Null:
                    double? value = null;
                    if (reader.TokenType == JsonTokenType.Number)
                        value = reader.TryGetDouble(out var number) ? number : throw new JsonException($"The key result's '{property}' is too large.");
                    if (property == "start") start = value;
                    else if (property == "current") current = value;
                    else target = value;
                    break;
                case "text" or "unit" or "start" or "current" or "target":
                    throw new JsonException($"The key result's '{property}' has the wrong type: text and unit are strings; start, current and target numbers.");
                default:
                    reader.Skip();
                    break;
            }
        }
        return text is null ? throw new JsonException("A key result object needs a \"text\".") : new KeyResultDocument(text, unit, start, current, target);
    }

    public override void Write(Utf8JsonWriter writer, KeyResultDocument value, JsonSerializerOptions options)
    {
        if (value.Unit is null && value.Start is null && value.Current is null && value.Target is null)
        {
            writer.WriteStringValue(value.Text);
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("text", value.Text);
        if (value.Unit is not null) writer.WriteString("unit", value.Unit);
        if (value.Start is { } start) writer.WriteNumber("start", start);
        if (value.Current is { } current) writer.WriteNumber("current", current);
        if (value.Target is { } target) writer.WriteNumber("target", target);
        writer.WriteEndObject();
    }
}
