using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Planner.Interchange;

namespace Planner.Sharing;

/// <summary>The shared roadmap as a one-page PDF (A4 landscape): the company and the plan's dates on top, the
/// objectives and now / next / later on the left, the chart, key dates and risks on the right. A roadmap that cannot be
/// scheduled says why, in a box above everything else.</summary>
public static class SharePdf
{
    private const double Margin = 32, LeftWidth = 250, Gap = 16;

    private static readonly XColor Ink = XColor.FromArgb(0x1f, 0x29, 0x33), Muted = XColor.FromArgb(0x52, 0x60, 0x6d),
        Planned = XColor.FromArgb(0x3e, 0x6f, 0xb0), Running = XColor.FromArgb(0x2f, 0x6f, 0x4f), Late = XColor.FromArgb(0xb4, 0x23, 0x18),
        Rule = XColor.FromArgb(0xd9, 0xde, 0xe3);

    public static byte[] Write(ShareReport report)
    {
        ShareFonts.Install();
        using var document = new PdfDocument();
        document.Info.Title = $"{report.Company} · roadmap";
        document.Info.Subject = ShareHtml.Summary(report);
        var page = document.AddPage();
        page.Size = PageSize.A4;
        page.Orientation = PageOrientation.Landscape;
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            var width = page.Width.Point;
            var height = page.Height.Point;
            var top = new PdfColumn(gfx, Margin, width - 2 * Margin, Margin, height - Margin);
            top.Line(report.Company, 20, bold: true);
            top.Line(ShareHtml.Summary(report), 9, color: Muted);
            if (report.Vision.Length > 0) top.Line(report.Vision, 9, maxLines: 2);
            top.Space(6);
            if (report.IsInfeasible) Infeasible(gfx, top, report);

            var left = new PdfColumn(gfx, Margin, LeftWidth, top.Y, height - Margin);
            Objectives(left, report);
            Horizon(left, "Now", report.In(ShareHorizon.Now));
            Horizon(left, "Next", report.In(ShareHorizon.Next));
            Horizon(left, "Later", report.In(ShareHorizon.Later));
            if (report.Done.Count > 0)
            {
                left.Heading("Done");
                left.Line(string.Join(", ", report.Done), 8, maxLines: 3);
            }

            var rightX = Margin + LeftWidth + Gap;
            var right = new PdfColumn(gfx, rightX, width - Margin - rightX, top.Y, height - Margin);
            right.Heading(report.Scale == ShareScale.Quarter ? "Plan by quarter" : "Plan by month");
            if (report.Items.Count == 0) right.Line("Nothing is planned.", 9);
            else Chart(gfx, right, report, maxHeight: (height - Margin - right.Y) * 0.62);
            right.Heading("Key dates");
            foreach (var d in report.KeyDates) right.Line($"{ShareHtml.Date(d.Date)}  {d.What}", 8, maxLines: 1);
            right.Heading("Risks");
            if (report.Risks.Count == 0) right.Line(report.IsInfeasible ? "See above: the plan breaks its hard constraints." : "No deadline is missed.", 8);
            foreach (var risk in report.Risks) right.Line("• " + risk, 8, color: Late, maxLines: 2);
        }
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private static void Infeasible(XGraphics gfx, PdfColumn top, ShareReport report)
    {
        var boxTop = top.Y;
        var inner = new PdfColumn(gfx, top.X + 8, top.Width - 16, boxTop + 6, top.Bottom);
        inner.Line("This roadmap cannot be scheduled as it stands:", 11, bold: true, color: Late);
        foreach (var reason in report.InfeasibleReasons.Take(5)) inner.Line("• " + reason, 8.5, maxLines: 2);
        if (report.InfeasibleReasons.Count > 5) inner.Line($"… and {report.InfeasibleReasons.Count - 5} more.", 8.5);
        inner.Line("The dates below are the closest plan found; they break these constraints.", 8.5, color: Muted);
        gfx.DrawRectangle(new XPen(Late, 1.5), top.X, boxTop, top.Width, inner.Y - boxTop + 4);
        top.MoveTo(inner.Y + 12);
    }

    private static void Objectives(PdfColumn column, ShareReport report)
    {
        if (report.Objectives.Count == 0) return;
        column.Heading("Objectives");
        foreach (var o in report.Objectives)
        {
            column.Line(o.Title, 9, bold: true, maxLines: 2);
            if (o.Progress.Overall is { } overall) column.Bar(overall, ProgressNote(o.Progress));
            foreach (var kr in o.KeyResults) column.Line("– " + kr, 8, maxLines: 2, indent: 8);
            column.Space(3);
        }
    }

    /// <summary>"40% · key results 25% · 1 of 3 initiatives done".</summary>
    internal static string ProgressNote(Roadmaps.ObjectiveProgress p)
    {
        var parts = new List<string> { KeyResultText.Percent(p.Overall ?? 0) };
        if (p.KeyResults is { } k) parts.Add($"key results {KeyResultText.Percent(k)}");
        if (p.Initiatives is not null) parts.Add($"{p.DoneInitiatives} of {p.LinkedInitiatives} initiatives done");
        return string.Join(" · ", parts);
    }

    private static void Horizon(PdfColumn column, string name, IEnumerable<ShareItem> items)
    {
        column.Heading(name);
        var any = false;
        foreach (var item in items)
        {
            any = true;
            var dates = item.IsMilestone ? ShareHtml.Date(item.Start) : $"{ShareHtml.Date(item.Start)} – {ShareHtml.Date(item.Finish)}";
            var tags = item.Tags.Count == 0 ? "" : "  · " + string.Join(", ", item.Tags);
            column.Line($"{item.Title}  {dates}{tags}", 8, maxLines: 1, color: item.MissesDeadline ? Late : Ink);
        }
        if (!any) column.Line("nothing", 8, color: Muted);
    }

    private static void Chart(XGraphics gfx, PdfColumn column, ShareReport report, double maxHeight)
    {
        const double labelWidth = 150, header = 14;
        var timeline = new ShareTimeline(report);
        var rowHeight = Math.Clamp((maxHeight - header) / report.Items.Count, 7, 14);
        var shown = Math.Min(report.Items.Count, (int)((maxHeight - header) / rowHeight));
        var top = column.Y;
        var x0 = column.X + labelWidth;
        var span = column.Width - labelWidth;
        double X(double at) => x0 + at * span;
        var small = new XFont(ShareFonts.Family, Math.Min(7.5, rowHeight - 1.5));
        var periodFont = new XFont(ShareFonts.Family, 7.5);
        var chartBottom = top + header + shown * rowHeight;
        foreach (var (label, from) in timeline.Periods)
        {
            var x = X(timeline.At(from));
            gfx.DrawLine(new XPen(Rule, 0.5), x, top, x, chartBottom);
            gfx.DrawString(label, periodFont, new XSolidBrush(Muted), x + 2, top + 9);
        }
        for (var n = 0; n < shown; n++)
        {
            var item = report.Items[n];
            var y = top + header + n * rowHeight;
            gfx.DrawString(PdfColumn.Fit(gfx, item.Title, small, labelWidth - 6), small, new XSolidBrush(Ink), column.X, y + rowHeight - 2.5);
            var color = item.MissesDeadline ? Late : item.Horizon == ShareHorizon.Now ? Running : Planned;
            var start = X(timeline.At(item.Start));
            if (item.IsMilestone)
            {
                var half = (rowHeight - 3) / 2;
                var middle = y + rowHeight / 2;
                gfx.DrawPolygon(new XSolidBrush(color), [new XPoint(start, middle - half), new XPoint(start + half, middle), new XPoint(start, middle + half), new XPoint(start - half, middle)], XFillMode.Winding);
            }
            else
            {
                gfx.DrawRectangle(new XSolidBrush(color), start, y + 1.5, Math.Max(1.5, X(timeline.AfterEnd(item.Finish)) - start), rowHeight - 3);
            }
            if (item.Deadline is { } deadline)
            {
                var xd = X(timeline.AfterEnd(deadline));
                gfx.DrawLine(new XPen(Late, 1.2), xd, y, xd, y + rowHeight);
            }
        }
        column.MoveTo(chartBottom + 4);
        if (shown < report.Items.Count)
            column.Line($"… and {report.Items.Count - shown} more initiatives (the HTML share lists them all).", 7.5, color: Muted);
        column.Line("green: running now · blue: planned · red: misses its deadline · red line: deadline", 7, color: Muted);
    }
}
