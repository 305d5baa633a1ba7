using Planner.Roadmaps;
using Planner.Scheduling;
using Planner.Sharing;
using UglyToad.PdfPig;

namespace Planner.Tests.Sharing;

public class ShareReportTests
{
    private static readonly DateOnly Today = new(2027, 1, 10);

    /// <summary>Small(), plus work that starts in March (next), in August (later), a milestone, a missed soft deadline
    /// and a measured key result; the first initiative has tags.</summary>
    private static Workspace Roadmap()
    {
        var w = Samples.Small();
        w.CompanyName = "Acme <Robotics> Ltd";
        w.Objectives[0].KeyResults = [new KeyResult("ARR", "$k", 400, 600, 1200), new KeyResult("Be loved")];
        w.Initiatives[0].ObjectiveKeys = ["o1"];
        w.Initiatives[0].Tags = ["billing", "<b>mobile</b>"];
        w.Initiatives[2].Deadline = new DateOnly(2027, 1, 20);
        var march = Samples.Item("i4", 2, ("be", 1));
        march.EarliestStart = new DateOnly(2027, 3, 1);
        var august = Samples.Item("i5", 2, ("be", 1));
        august.EarliestStart = new DateOnly(2027, 8, 2);
        var launch = Samples.Item("i6", 0);
        launch.Title = "Public launch";
        launch.Dependencies = [new Dependency("i4")];
        w.Initiatives.AddRange([march, august, launch]);
        return w;
    }

    private static ShareReport Report(Workspace w) =>
        ShareReportBuilder.Build(w, new CpSatScheduler().Schedule(w, new SchedulerOptions { UseSolver = false }), Today);

    [Fact]
    public void The_report_holds_computed_dates_horizons_key_dates_progress_and_missed_deadlines()
    {
        var report = Report(Roadmap());

        Assert.Equal("Acme <Robotics> Ltd", report.Company);
        Assert.Equal(new DateOnly(2027, 8, 15), report.End);
        Assert.Equal(ShareScale.Quarter, report.Scale);
        var i3 = report.Items.Single(i => i.Key == "i3");
        Assert.Equal((new DateOnly(2027, 1, 4), new DateOnly(2027, 1, 31), true), (i3.Start, i3.Finish, i3.MissesDeadline));
        Assert.Equal(["i1", "i2", "i3"], report.In(ShareHorizon.Now).Select(i => i.Key));
        Assert.Equal(["i4", "i6"], report.In(ShareHorizon.Next).Select(i => i.Key));
        Assert.Equal(["i5"], report.In(ShareHorizon.Later).Select(i => i.Key));
        Assert.Contains(new ShareDate(new DateOnly(2027, 3, 15), "Milestone: Public launch"), report.KeyDates);
        Assert.Contains(report.Risks, r => r.StartsWith("Initiative i3 (i3): Misses its deadline 2027-01-20", StringComparison.Ordinal));
        var objective = report.Objectives.Single();
        Assert.Equal(["ARR: 600 $k (from 400 to 1200, 25%)", "Be loved"], objective.KeyResults);
        Assert.Equal(0.125, objective.Progress.Overall!.Value, 9);   // key results 25%, its one initiative planned: 0%
        Assert.Empty(report.InfeasibleReasons);
    }

    [Fact]
    public void The_html_is_one_self_contained_page_with_the_company_objectives_and_dates_and_escapes_what_founders_typed()
    {
        var html = ShareHtml.Write(Report(Roadmap()));

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Acme &lt;Robotics&gt; Ltd</h1>", html, StringComparison.Ordinal);
        Assert.Contains("ARR: 600 $k (from 400 to 1200, 25%)", html, StringComparison.Ordinal);
        Assert.Contains("2027-01-04 – 2027-01-31", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"tag\">billing</span> <span class=\"tag\">&lt;b&gt;mobile&lt;/b&gt;</span>", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("Q1 2027", html, StringComparison.Ordinal);
        // The one link is an empty icon, so that a browser does not ask the site for /favicon.ico either.
        Assert.Contains("<link rel=\"icon\" href=\"data:,\">", html, StringComparison.Ordinal);
        var rest = html.Replace("<link rel=\"icon\" href=\"data:,\">", "", StringComparison.Ordinal);
        foreach (var external in new[] { "<script", "src=", "href=", "url(", "@import" })
            Assert.DoesNotContain(external, rest, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_pdf_is_one_page_whose_text_holds_the_company_the_objectives_and_the_computed_dates()
    {
        var text = PdfText(SharePdf.Write(Report(Roadmap())), out var pages);

        Assert.Equal(1, pages);
        Assert.Contains("Acme <Robotics> Ltd", text, StringComparison.Ordinal);
        Assert.Contains("Grow", text, StringComparison.Ordinal);
        Assert.Contains("ARR: 600 $k (from 400 to 1200, 25%)", text, StringComparison.Ordinal);
        Assert.Contains("2027-01-04 – 2027-01-31", text, StringComparison.Ordinal);
        Assert.Contains("2027-01-04 – 2027-01-24 · billing, <b>mobile", text, StringComparison.Ordinal);   // tags after the dates, cut to the column
        Assert.Contains("2027-08-15", text, StringComparison.Ordinal);
        Assert.Contains("Misses its deadline", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_share_of_a_roadmap_that_cannot_be_scheduled_says_why()
    {
        var w = Samples.Small();
        w.Initiatives[0].Deadline = new DateOnly(2027, 1, 10);   // three weeks of work, due in one
        w.Initiatives[0].DeadlineIsHard = true;

        var report = Report(w);
        Assert.True(report.IsInfeasible);
        Assert.Contains(report.InfeasibleReasons, r => r.StartsWith("Initiative i1 (i1):", StringComparison.Ordinal));

        var text = PdfText(SharePdf.Write(report), out _);
        Assert.Contains("This roadmap cannot be scheduled as it stands", text, StringComparison.Ordinal);
        Assert.Contains("Initiative i1 (i1):", text, StringComparison.Ordinal);
        Assert.Contains("cannot be scheduled as it stands", ShareHtml.Write(report), StringComparison.Ordinal);
    }

    /// <summary>The words of every page, one space apart, as a PDF reader extracts them.</summary>
    internal static string PdfText(byte[] pdf, out int pages)
    {
        using var document = PdfDocument.Open(pdf);
        pages = document.NumberOfPages;
        return string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
    }
}
