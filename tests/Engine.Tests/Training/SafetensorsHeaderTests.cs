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
    public void A_malformed_header_is_refused_with_a_checkpoint_error_naming_what_is_wrong(string header, string said)
    {
        using var dir = new TempFolder();
        var error = Assert.Throws<CheckpointException>(() => SafetensorsHeader.Read(File(dir, header)));
        Assert.Contains(said, error.Message);
    }
}
