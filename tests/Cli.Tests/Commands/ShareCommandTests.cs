using UglyToad.PdfPig;

namespace Planner.Cli.Tests.Commands;

/// <summary>`planner share` over the seeded sample workspace (Ledgerloom).</summary>
public sealed class ShareCommandTests : IDisposable
{
    private readonly TempFolder work = new();
    private string Data => work.File("data");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task Share_as_pdf_writes_one_page_whose_text_holds_the_company_the_objectives_and_computed_dates()
    {
        var file = work.File("ledgerloom.pdf");
        var run = await CliRun.Of("share", "--format", "pdf", "--out", file, "--data-dir", Data);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("Ledgerloom Software, Inc., plan ends 2027-", run.Stderr, StringComparison.Ordinal);

        using var pdf = PdfDocument.Open(await File.ReadAllBytesAsync(file));
        Assert.Equal(1, pdf.NumberOfPages);
        var text = string.Join(" ", pdf.GetPage(1).GetWords().Select(w => w.Text));
        Assert.Contains("Ledgerloom Software, Inc.", text, StringComparison.Ordinal);
        Assert.Contains("Make month-end close effortless for small firms", text, StringComparison.Ordinal);
        Assert.Contains("Median close time per client: 9 working days", text, StringComparison.Ordinal);   // a key result, measured
        Assert.Contains("plan from 2027-01-04 to 2027-", text, StringComparison.Ordinal);
        Assert.Contains("2027-01-04 –", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Share_as_html_writes_one_self_contained_page_and_the_markdown_export_carries_the_same_end_date()
    {
        var file = work.File("ledgerloom.html");
        var run = await CliRun.Of("share", "--format", "html", "--scale", "month", "--out", file, "--data-dir", Data);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var html = await File.ReadAllTextAsync(file);
        Assert.Contains("<h1>Ledgerloom Software, Inc.</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Plan by month", html, StringComparison.Ordinal);
        Assert.Contains("Jan 2027", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);

        var md = await CliRun.Of("export", "--format", "md", "--data-dir", Data);
        Assert.Equal(0, md.ExitCode);
        var end = System.Text.RegularExpressions.Regex.Match(run.Stderr, @"plan ends (\d{4}-\d{2}-\d{2})").Groups[1].Value;
        Assert.Contains($"Computed plan: 2027-01-04 to {end}", md.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sharing_a_workspace_that_does_not_exist_says_so_and_writes_nothing()
    {
        var file = work.File("none.pdf");
        var run = await CliRun.Of("share", "--out", file, "--workspace", "nope", "--data-dir", Data);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("there is no workspace named 'nope'", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task A_share_link_is_printed_once_listed_by_label_and_revoked_and_bad_input_is_refused()
    {
        var created = await CliRun.Of("share", "link", "create", "board", "--data-dir", Data);
        Assert.True(created.ExitCode == 0, created.Stderr);
        Assert.Matches("^/s/[A-Za-z0-9_-]{43}$", created.Stdout.Trim());
        Assert.Contains("It is shown only now", created.Stderr, StringComparison.Ordinal);

        var listed = await CliRun.Of("share", "link", "list", "--data-dir", Data);
        Assert.Matches(@"^1  board  created \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$", listed.Stdout.Trim());
        Assert.DoesNotContain(created.Stdout.Trim()[3..], listed.Stdout, StringComparison.Ordinal); // the token is not kept

        Assert.Equal(0, (await CliRun.Of("share", "link", "revoke", "1", "--data-dir", Data)).ExitCode);
        Assert.Contains("No share links", (await CliRun.Of("share", "link", "list", "--data-dir", Data)).Stdout, StringComparison.Ordinal);

        var again = await CliRun.Of("share", "link", "revoke", "1", "--data-dir", Data);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("has no share link 1", again.Stderr, StringComparison.Ordinal);
        var unlabelled = await CliRun.Of("share", "link", "create", " ", "--data-dir", Data);
        Assert.Equal(1, unlabelled.ExitCode);
        Assert.Contains("needs a label", unlabelled.Stderr, StringComparison.Ordinal);
        var elsewhere = await CliRun.Of("share", "link", "create", "board", "--workspace", "nope", "--data-dir", Data);
        Assert.Contains("there is no workspace named 'nope'", elsewhere.Stderr, StringComparison.Ordinal);
    }
}
