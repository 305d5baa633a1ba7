using System.Globalization;
using System.Net;
using System.Text;
using Planner.Interchange;

namespace Planner.Sharing;

/// <summary>The shared roadmap as one self-contained HTML page: styles inline, the chart as inline SVG, no scripts and
/// nothing fetched, so it opens the same from a mail attachment, a file share or the app.</summary>
public static class ShareHtml
{
    private const int ChartWidth = 900, LabelWidth = 230, RowHeight = 22, HeaderHeight = 24;

    public static string Write(ShareReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<link rel=\"icon\" href=\"data:,\">\n") // no favicon request: the page fetches nothing
            .Append("<title>").Append(E(report.Company)).Append(" · roadmap</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n");

        html.Append("<header>\n<h1>").Append(E(report.Company)).Append("</h1>\n<p class=\"meta\">")
            .Append(E(Summary(report))).Append("</p>\n");
        if (report.Vision.Length > 0) html.Append("<p class=\"vision\">").Append(E(report.Vision)).Append("</p>\n");
        html.Append("</header>\n");

        if (report.IsInfeasible)
        {
            html.Append("<section class=\"infeasible\" role=\"alert\">\n<h2>This roadmap cannot be scheduled as it stands</h2>\n<ul>\n");
            foreach (var reason in report.InfeasibleReasons) html.Append("<li>").Append(E(reason)).Append("</li>\n");
            html.Append("</ul>\n<p>The dates below are the closest plan found; they break the constraints above.</p>\n</section>\n");
        }

        if (report.Objectives.Count > 0)
        {
            html.Append("<section>\n<h2>Objectives</h2>\n<ul class=\"objectives\">\n");
            foreach (var o in report.Objectives)
            {
                html.Append("<li><strong>").Append(E(o.Title)).Append("</strong>");
                if (o.Progress.Overall is { } overall)
                {
                    var percent = KeyResultText.Percent(overall);
                    html.Append(CultureInfo.InvariantCulture, $" <span class=\"bar\" role=\"img\" aria-label=\"{percent} done\"><span style=\"width:{Math.Round(overall * 100)}%\"></span></span> {percent}");
                }
                if (o.KeyResults.Count > 0)
                {
                    html.Append("\n<ul>\n");
                    foreach (var kr in o.KeyResults) html.Append("<li>").Append(E(kr)).Append("</li>\n");
                    html.Append("</ul>");
                }
                html.Append("</li>\n");
            }
            html.Append("</ul>\n</section>\n");
        }

        html.Append("<section>\n<h2>Plan by ").Append(report.Scale == ShareScale.Quarter ? "quarter" : "month").Append("</h2>\n");
        if (report.Items.Count == 0) html.Append("<p>Nothing is planned.</p>\n");
        else Chart(html, report);
        html.Append("</section>\n");

        html.Append("<section class=\"horizons\">\n");
        Horizon(html, "Now", report.In(ShareHorizon.Now));
        Horizon(html, "Next", report.In(ShareHorizon.Next));
        Horizon(html, "Later", report.In(ShareHorizon.Later));
        html.Append("</section>\n");
        if (report.Done.Count > 0) html.Append("<p><strong>Done:</strong> ").Append(E(string.Join(", ", report.Done))).Append("</p>\n");

        html.Append("<section>\n<h2>Key dates</h2>\n<table>\n<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">What</th></tr></thead>\n<tbody>\n");
        foreach (var d in report.KeyDates) html.Append("<tr><td>").Append(Date(d.Date)).Append("</td><td>").Append(E(d.What)).Append("</td></tr>\n");
        html.Append("</tbody>\n</table>\n</section>\n");

        html.Append("<section>\n<h2>Risks</h2>\n");
        if (report.Risks.Count == 0) html.Append("<p>No deadline is missed.</p>\n");
        else
        {
            html.Append("<ul>\n");
            foreach (var risk in report.Risks) html.Append("<li>").Append(E(risk)).Append("</li>\n");
            html.Append("</ul>\n");
        }
        html.Append("</section>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>"Seed · runway 18 months · plan from 2027-01-04 to 2027-09-30 (38 weeks) · shared 2027-02-01".</summary>
    internal static string Summary(ShareReport report)
    {
        var parts = new List<string> { report.Stage };
        if (report.RunwayMonths is { } runway) parts.Add($"runway {runway} months");
        parts.Add(report.End is { } end ? $"plan from {Date(report.PlanningStart)} to {Date(end)} ({report.Weeks} weeks)" : $"planning starts {Date(report.PlanningStart)}");
        parts.Add($"shared {Date(report.Today)}");
        return string.Join(" · ", parts);
    }

    private static void Chart(StringBuilder html, ShareReport report)
    {
        var timeline = new ShareTimeline(report);
        var height = HeaderHeight + report.Items.Count * RowHeight + 4;
        var span = ChartWidth - LabelWidth;
        double X(double at) => LabelWidth + at * span;
        html.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {ChartWidth} {height}\" role=\"img\" aria-labelledby=\"chart-title\">\n")
            .Append("<title id=\"chart-title\">Plan: ").Append(E(string.Join("; ", report.Items.Select(i => $"{i.Title} {Date(i.Start)} to {Date(i.Finish)}")))).Append("</title>\n");
        foreach (var (label, from) in timeline.Periods)
        {
            var x = X(timeline.At(from));
            html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" y1=\"0\" x2=\"{x:0.#}\" y2=\"{height}\" class=\"grid\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 4:0.#}\" y=\"16\" class=\"period\">{E(label)}</text>\n");
        }
        for (var n = 0; n < report.Items.Count; n++)
        {
            var item = report.Items[n];
            var y = HeaderHeight + n * RowHeight;
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 15}\" class=\"label\">{E(Cut(item.Title, 34))}</text>");
            var x0 = X(timeline.At(item.Start));
            var css = item.MissesDeadline ? "late" : item.Horizon == ShareHorizon.Now ? "now" : "bar";
            if (item.IsMilestone)
                html.Append(CultureInfo.InvariantCulture, $"<path d=\"M{x0:0.#} {y + 4}l7 7-7 7-7-7z\" class=\"{css}\"/>");
            else
                html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x0:0.#}\" y=\"{y + 4}\" width=\"{Math.Max(2, X(timeline.AfterEnd(item.Finish)) - x0):0.#}\" height=\"{RowHeight - 8}\" rx=\"3\" class=\"{css}\"/>");
            if (item.Deadline is { } deadline)
            {
                var xd = X(timeline.AfterEnd(deadline));
                html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{xd:0.#}\" y1=\"{y + 2}\" x2=\"{xd:0.#}\" y2=\"{y + RowHeight - 2}\" class=\"deadline\"/>");
            }
            html.Append('\n');
        }
        html.Append("</svg>\n<p class=\"legend\"><span class=\"key now\"></span> running now <span class=\"key bar\"></span> planned ")
            .Append("<span class=\"key late\"></span> misses its deadline <span class=\"key deadline\"></span> deadline</p>\n");
    }

    private static void Horizon(StringBuilder html, string name, IEnumerable<ShareItem> items)
    {
        html.Append("<div>\n<h2>").Append(name).Append("</h2>\n<ul>\n");
        var any = false;
        foreach (var item in items)
        {
            any = true;
            html.Append("<li>").Append(E(item.Title)).Append(" <span class=\"dates\">")
                .Append(item.IsMilestone ? Date(item.Start) : $"{Date(item.Start)} – {Date(item.Finish)}").Append("</span>");
            foreach (var tag in item.Tags) html.Append(" <span class=\"tag\">").Append(E(tag)).Append("</span>");
            html.Append("</li>\n");
        }
        if (!any) html.Append("<li class=\"none\">nothing</li>\n");
        html.Append("</ul>\n</div>\n");
    }

    internal static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static string Cut(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2933; margin: 0; background: #fff; }
        main { max-width: 960px; margin: 0 auto; padding: 24px; }
        h1 { margin: 0 0 4px; font-size: 28px; }
        h2 { font-size: 18px; margin: 20px 0 8px; }
        .meta { color: #52606d; margin: 0; }
        .vision { font-style: italic; }
        .infeasible { border: 2px solid #b42318; background: #fef3f2; padding: 8px 16px; border-radius: 6px; }
        .infeasible h2 { color: #b42318; }
        .objectives > li { margin-bottom: 6px; }
        .bar { display: inline-block; width: 120px; height: 10px; background: #e4e7eb; border-radius: 5px; vertical-align: middle; }
        .bar > span { display: block; height: 10px; background: #2f6f4f; border-radius: 5px; }
        svg.chart { width: 100%; height: auto; font-size: 12px; }
        svg .grid { stroke: #d9dee3; }
        svg .period { fill: #52606d; }
        svg .label { fill: #1f2933; }
        svg .bar, .key.bar { fill: #3e6fb0; background: #3e6fb0; }
        svg .now, .key.now { fill: #2f6f4f; background: #2f6f4f; }
        svg .late, .key.late { fill: #b42318; background: #b42318; }
        svg .deadline { stroke: #b42318; stroke-width: 2; }
        .key { display: inline-block; width: 12px; height: 10px; margin-left: 8px; }
        .key.deadline { width: 2px; background: #b42318; }
        .legend { color: #52606d; font-size: 13px; }
        .horizons { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; }
        .dates { color: #52606d; font-size: 13px; white-space: nowrap; }
        .none { color: #52606d; }
        .tag { display: inline-block; border: 1px solid #9aa5b1; border-radius: 8px; padding: 0 6px; font-size: 12px; color: #323f4b; margin-left: 2px; }
        table { border-collapse: collapse; }
        th, td { text-align: left; padding: 2px 12px 2px 0; border-bottom: 1px solid #e4e7eb; }

        """;
}
