using System.Text;
using Planner.Engine.Training;

namespace Planner.Engine.Tests.Training;

public class SafetensorsHeaderTests
{
    private static string File(TempFolder dir, string header, int data = 16)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var path = dir.File("w.safetensors");
        System.IO.File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)json.Length), .. json, .. new byte[data]]);
        return path;
    }

    [Fact]
    public void A_header_that_agrees_with_its_file_gives_the_shapes()
    {
        using var dir = new TempFolder();
        var header = SafetensorsHeader.Read(File(dir, """{"wte.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"__metadata__":{"format":"pt"}}"""));
        Assert.Equal([2L, 2], header.Shapes["wte.weight"]);
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0]}}""", "does not give its data offsets as a pair")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":"0-16"}}""", "does not give its data offsets as a pair")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}""", "declares 16 bytes but offsets 0..12")]
    [InlineData("""{"w":{"dtype":"Q4","shape":[2,2],"data_offsets":[0,16]}}""", "unknown dtype 'Q4'")]
    [InlineData("""{"w":{"shape":[2,2],"data_offsets":[0,16]}}""", "is corrupted")]
    [InlineData("""[1,2,3]""", "its header is not a JSON object")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", "tensor 'b' (bytes 4..12) overlaps the tensor before it.")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}""", "tensor 'b' starts at byte 12, leaving bytes 8..12 to no tensor.")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", "tensor 'a' starts at byte 8, leaving bytes 0..8 to no tensor.")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "its last 8 bytes belong to no tensor.")]
    [InlineData("""{"a":{"dtype":"F32","shape":[0],"data_offsets":[16,0]}}""", "tensor 'a' has data offsets that run backwards (16..0).")]
    [InlineData("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", "it names 'a' twice.")]
    [InlineData("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,18446744073709551632]}}""", "tensor 'a' has data offsets that are not byte positions.")]
    [InlineData("""{"a":{"dtype":"U8","shape":[16],"data_offsets":[0,16]},"b":{"dtype":"U8","shape":[9223372036854775791],"data_offsets":[16,9223372036854775807]}}""", "is truncated: its tensors need")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2305843009213693952,2],"data_offsets":[0,16]}}""", "tensor 'a' has an impossible shape.")]
    public void A_malformed_header_is_refused_with_a_checkpoint_error_naming_what_is_wrong(string header, string said)
    {
        using var dir = new TempFolder();
        var error = Assert.Throws<CheckpointException>(() => SafetensorsHeader.Read(File(dir, header)));
        Assert.Contains(said, error.Message);
    }

    [Fact]
    public void Tensors_that_tile_the_data_in_any_order_of_the_header_are_read()
    {
        using var dir = new TempFolder();
        var header = SafetensorsHeader.Read(File(dir, """{"b":{"dtype":"F16","shape":[2,2],"data_offsets":[8,16]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"e":{"dtype":"F32","shape":[0],"data_offsets":[16,16]}}"""));
        Assert.Equal(["a", "b", "e"], header.Shapes.Keys.Order());
    }
}
