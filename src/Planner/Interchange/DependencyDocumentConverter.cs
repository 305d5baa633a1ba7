using System.Text.Json;
using System.Text.Json.Serialization;

namespace Planner.Interchange;

/// <summary>Reads a dependency from "i3" or {"id": "i3", "lagWeeks": 2}; writes the short form when there is no lag.</summary>
public sealed class DependencyDocumentConverter : JsonConverter<DependencyDocument>
{
    public override DependencyDocument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
            return new DependencyDocument(reader.GetString()!);
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("A dependency is an initiative id (\"i3\") or an object {\"id\": \"i3\", \"lagWeeks\": 2}.");

        string? id = null;
        var lag = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case "id" when reader.TokenType == JsonTokenType.String:
                    id = reader.GetString();
                    break;
                case "lagWeeks" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var weeks):
                    lag = weeks;
                    break;
                case "id" or "lagWeeks":
                    throw new JsonException($"The dependency's '{property}' has the wrong type: id is a string, lagWeeks a whole number.");
                default:
                    reader.Skip();
                    break;
            }
        }
        return id is null ? throw new JsonException("A dependency object needs an \"id\".") : new DependencyDocument(id, lag);
    }

    public override void Write(Utf8JsonWriter writer, DependencyDocument value, JsonSerializerOptions options)
    {
        if (value.LagWeeks == 0)
        {
            writer.WriteStringValue(value.Id);
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("id", value.Id);
        writer.WriteNumber("lagWeeks", value.LagWeeks);
        writer.WriteEndObject();
    }
}
