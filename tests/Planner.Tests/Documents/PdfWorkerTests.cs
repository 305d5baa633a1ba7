using Planner.Documents;

namespace Planner.Tests.Documents;

/// <summary>Hostile PDFs read through the real worker process: each is a refused document with a one-line reason, and
/// this process (the app, in production) lives on to read the next one.</summary>
public sealed class PdfWorkerTests
{
    private static void AssertRefused(byte[] pdf, string reason)
    {
        var result = DocumentExtractor.Extract("hostile.pdf", pdf);
        Assert.False(result.Ok, "the hostile PDF was read");
        Assert.True(result.Error!.StartsWith(reason, StringComparison.Ordinal), $"refused with: {result.Error}");
        Assert.DoesNotContain('\n', result.Error);
        // Still serving: the next, honest PDF reads.
        Assert.True(DocumentExtractor.Extract("board.pdf", DocumentExtractorTests.Pdf("Runway is eighteen months.")).Ok);
    }

    [Fact]
    public void A_flate_bomb_is_refused_by_the_inflation_check() =>
        AssertRefused(TestPdfs.FlateBomb(300L << 20), "The PDF unpacks to more than 256 MB (a compression bomb?); it was not read.");

    [Fact]
    public void A_bomb_behind_a_chain_of_two_flate_filters_is_refused_within_the_workers_memory() =>
        AssertRefused(TestPdfs.FlateChainBomb(1L << 30), "The PDF ");

    [Fact]
    public void A_bomb_behind_a_flate_header_that_is_not_zlibs_is_refused_within_the_workers_memory() =>
        AssertRefused(TestPdfs.FlateBadHeaderBomb(1L << 30), "The PDF ");

    [Fact]
    public void A_run_length_bomb_is_refused() =>
        AssertRefused(TestPdfs.RunLengthBomb(8 << 20), PdfWorker.MemoryProblem);

    [Fact]
    public void Nineteen_megabytes_of_uncompressed_text_are_refused_without_filling_the_app() =>
        AssertRefused(TestPdfs.RawText(19 << 20), "The PDF ");

    [Fact]
    public void A_structure_nested_deep_enough_to_overflow_the_parsers_stack_is_a_refused_document() =>
        AssertRefused(TestPdfs.DeeplyNested(500_000), "The PDF ");

    [Theory]
    [InlineData(134, "Stack overflow.\n   at UglyToad.PdfPig.Tokenization.ArrayTokenizer.TryTokenize()", "The PDF could not be read: the reader stopped (Stack overflow); it may be damaged or built to break readers.")]
    [InlineData(139, "", "The PDF could not be read: the reader stopped (exit code 139); it may be damaged or built to break readers.")]
    [InlineData(134, "Out of memory.", "The PDF needs more than 512 MB of memory to read (a compression bomb?); it was not read.")]
    [InlineData(0, "", "The PDF could not be read: the reader stopped (exit code 0); it may be damaged or built to break readers.")]
    public void A_worker_that_dies_is_a_refused_document_with_its_first_error_line(int exitCode, string stderr, string message) =>
        Assert.Equal(message, PdfWorker.Reply(exitCode, stdout: "", stderr).Error);
}
