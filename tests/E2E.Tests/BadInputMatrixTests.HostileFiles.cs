using System.Net;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

public sealed partial class BadInputMatrixTests
{
    [Fact]
    public async Task A_gguf_nested_300000_deep_in_the_models_folder_is_listed_with_its_problem_and_the_app_keeps_serving()
    {
        var before = DataSnapshot.Take(fixture.App.DataDirectory);
        var model = Path.Combine(fixture.Models, "nested.gguf");
        File.Copy(Path.Combine(fixture.Files, "nested.gguf"), model);
        try
        {
            using var http = new HttpClient();
            var health = await http.GetAsync(fixture.App.BaseUrl + "/healthz"); // anonymous, and it scans the models folder
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            var page = WebUtility.HtmlDecode(await http.GetStringAsync(fixture.App.BaseUrl + "/models"));
            Assert.Contains("nested.gguf has an array of arrays in 'general.deep' (llama.cpp refuses them): the file is corrupt.", page);
            await AssertServingAndUnchangedAsync(before);
        }
        finally
        {
            File.Delete(model);
        }
    }

    [Fact]
    public async Task A_pdf_that_bombs_the_extractor_is_refused_on_upload_and_the_app_keeps_serving()
    {
        var before = DataSnapshot.Take(fixture.App.DataDirectory);
        await OpenAsync("/documents");

        await fixture.Page.SetInputFilesAsync("#upload-documents", Path.Combine(fixture.Files, "rle-bomb.pdf"));

        await Expect(fixture.Page.GetByTestId("upload-messages")).ToContainTextAsync(
            "rle-bomb.pdf: The PDF needs more than 512 MB of memory to read (a compression bomb?); it was not read.", new() { Timeout = 60_000 });
        await AssertServingAndUnchangedAsync(before);
    }

    [Fact]
    public async Task A_pdf_that_bombs_the_extractor_is_skipped_from_a_training_corpus_with_its_reason()
    {
        var corpus = Path.Combine(fixture.Files, "hostile-corpus");
        var before = DataSnapshot.Take(fixture.CliData);

        var run = await CliProcess.RunAsync(fixture.CliData, Built.RepositoryRoot, null, "train", "--corpus", corpus, "--out", Path.Combine(fixture.Files, "run"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"planner: warning: Skipped {Path.Combine(corpus, "rle-bomb.pdf")}: The PDF needs more than 512 MB of memory to read (a compression bomb?); it was not read.",
            run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0]);
        Assert.False(Directory.Exists(Path.Combine(fixture.Files, "run")));
        Assert.Equal(before, DataSnapshot.Take(fixture.CliData));
    }
}
