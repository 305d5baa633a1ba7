using System.Globalization;
using System.Text;
using Planner.Roadmaps;
using Planner.Scheduling;

namespace Planner.Interchange;

/// <summary>The roadmap as Markdown, for pasting into a document or a wiki; with a schedule, the plan's computed
/// dates (each initiative's start and finish, the plan's end).</summary>
public static class RoadmapMarkdown
{
    public static string Write(Workspace workspace, Schedule? schedule = null)
    {
        var md = new StringBuilder();
        md.Append("# ").Append(Escape(workspace.Name)).Append(" roadmap\n\n");
        if (workspace.CompanyName.Length > 0) md.Append("**").Append(Escape(workspace.CompanyName)).Append("** · ");
        md.Append("stage: ").Append(EnumNames.Of(workspace.Stage));
        if (workspace.RunwayMonths is { } runway) md.Append(" · runway: ").Append(runway.ToString(CultureInfo.InvariantCulture)).Append(" months");
        md.Append(" · planning starts ").Append(Date(workspace.PlanningStart)).Append("\n\n");
        if (workspace.Vision.Length > 0) md.Append("> ").Append(Escape(workspace.Vision).ReplaceLineEndings(" ")).Append("\n\n");

        if (workspace.Objectives.Count > 0)
        {
            md.Append("## Objectives\n\n");
            foreach (var o in workspace.Objectives)
            {
                md.Append("- **").Append(Escape(o.Key)).Append("** ").Append(Escape(o.Title)).Append('\n');
                foreach (var kr in o.KeyResults) md.Append("  - ").Append(Escape(KeyResultText.Describe(kr))).Append('\n');
            }
            md.Append('\n');
        }

        md.Append("## Teams\n\n| Team | Id | People | Changes |\n| --- | --- | ---: | --- |\n");
        foreach (var t in workspace.Teams)
        {
            var changes = string.Join(", ", t.CapacityChanges.OrderBy(c => c.From).Select(c => $"{c.Capacity} from {Date(c.From)}"));
            md.Append(CultureInfo.InvariantCulture, $"| {Escape(t.Name)} | {Escape(t.Key)} | {t.Capacity} | {changes} |\n");
        }

        md.Append("\n## Initiatives\n\n");
        if (schedule is not null) Plan(md, workspace, schedule);
        md.Append("| Id | Initiative | Status | Weeks | Teams | Depends on | MoSCoW | Tags | Deadline |")
          .Append(schedule is null ? "\n" : " Start | Finish |\n")
          .Append("| --- | --- | --- | ---: | --- | --- | --- | --- | --- |").Append(schedule is null ? "\n" : " --- | --- |\n");
        foreach (var i in workspace.Initiatives.OrderBy(i => i.Order))
        {
            var weeks = i.ResolvedDurationWeeks is { } w ? (w == 0 ? "milestone" : w.ToString(CultureInfo.InvariantCulture)) : "";
            var teams = string.Join(", ", i.Demand.Select(d => $"{Escape(d.TeamKey)} ×{d.People}"));
            var deps = string.Join(", ", i.Dependencies.Select(d => d.LagWeeks == 0 ? Escape(d.PredecessorKey) : $"{Escape(d.PredecessorKey)} (+{d.LagWeeks}w)"));
            var deadline = i.Deadline is { } dl ? Date(dl) + (i.DeadlineIsHard ? " (hard)" : "") : "";
            var moscow = i.MoSCoW is { } m ? EnumNames.Of(m) : "";
            var tags = string.Join(", ", i.Tags.Select(Escape));
            md.Append(CultureInfo.InvariantCulture, $"| {Escape(i.Key)} | {Escape(i.Title)} | {EnumNames.Of(i.Status)} | {weeks} | {teams} | {deps} | {moscow} | {tags} | {deadline} |");
            if (schedule is not null)
            {
                var (start, finish) = schedule.Find(i.Key) is { } s ? Dates(workspace, s) : ("", "");
                md.Append(' ').Append(start).Append(" | ").Append(finish).Append(" |");
            }
            md.Append('\n');
        }

        var described = workspace.Initiatives.OrderBy(i => i.Order).Where(i => i.Description.Length > 0).ToList();
        if (described.Count > 0)
        {
            md.Append("\n## Details\n");
            foreach (var i in described)
                md.Append("\n### ").Append(Escape(i.Key)).Append(" · ").Append(Escape(i.Title)).Append("\n\n").Append(Escape(i.Description)).Append('\n');
        }
        return md.ToString();
    }

    private static void Plan(StringBuilder md, Workspace workspace, Schedule schedule)
    {
        if (schedule.Items.Count > 0)
        {
            var end = schedule.Items.Select(s => Dates(workspace, s).Finish).Max(StringComparer.Ordinal);
            md.Append(CultureInfo.InvariantCulture, $"Computed plan: {Date(workspace.PlanningStart)} to {end} ({schedule.MakespanWeeks} weeks).");
        }
        else md.Append("Computed plan: nothing left to schedule.");
        if (schedule.Status == ScheduleStatus.Infeasible)
            md.Append(" **The roadmap cannot be scheduled as it stands**; the dates break: ")
              .Append(Escape(string.Join("; ", schedule.Problems.Select(p => p.ToString())))).Append('.');
        md.Append("\n\n");
    }

    /// <summary>First and last day of the work (a milestone's are the same day).</summary>
    private static (string Start, string Finish) Dates(Workspace workspace, ScheduledItem item)
    {
        var start = workspace.WeekStart(item.StartWeek);
        var finish = item.FinishWeek == item.StartWeek ? start : workspace.WeekStart(item.FinishWeek).AddDays(-1);
        return (Date(start), Date(finish));
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Keeps user text from breaking tables or turning into markup (pipes, HTML, emphasis).</summary>
    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.ReplaceLineEndings(" "))
        {
            if (ch is '|' or '\\' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '#') sb.Append('\\');
            sb.Append(ch);
        }
        return sb.ToString();
    }
}
