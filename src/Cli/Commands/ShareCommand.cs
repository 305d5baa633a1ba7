using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Planner.Files;
using Planner.Sharing;

namespace Planner.Cli.Commands;

/// <summary><c>planner share --format pdf|html --out FILE</c>: the one-page roadmap for stakeholders; <c>planner share
/// link …</c> manages read-only links to it (<see cref="ShareLinkCommand"/>).</summary>
public static class ShareCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var format = new Option<string>("--format") { Description = "pdf (one page) or html (one self-contained file).", DefaultValueFactory = _ => "pdf" };
        format.AcceptOnlyFromAmong("pdf", "html");
        var scale = new Option<string?>("--scale") { Description = "Draw the plan by month or quarter (default: by month up to 30 weeks, else by quarter)." };
        scale.AcceptOnlyFromAmong("month", "quarter");
        var output = new Option<FileInfo>("--out") { Description = "The file to write (atomically).", Required = true };
        var command = new Command("share", "Write a one-page roadmap for stakeholders: company, objectives and progress, the plan with computed dates, now/next/later, key dates and risks.")
        {
            format, scale, output, CliOptions.Workspace,
        };
        command.Subcommands.Add(ShareLinkCommand.Create(stdout, stderr));
        command.SetAction(async (parsed, ct) =>
        {
            var kind = parsed.GetValue(format) == "html" ? ShareFormat.Html : ShareFormat.Pdf;
            ShareScale? by = parsed.GetValue(scale) switch { "month" => ShareScale.Month, "quarter" => ShareScale.Quarter, _ => null };
            await using var services = await CliServices.StartAsync(parsed, ct);
            var workspace = parsed.GetValue(CliOptions.Workspace);
            var shared = await services.GetRequiredService<RoadmapShare>().MakeAsync(kind, workspace, by, ct);
            if (shared is null)
                return await ImportCommand.Fail(stderr, workspace is null ? "there is no workspace to share." : $"there is no workspace named '{workspace}'.");

            var file = parsed.GetValue(output)!;
            await AtomicFile.WriteAllBytesAsync(file.FullName, shared.Content, ct);
            var report = shared.Report;
            var plan = report.IsInfeasible ? "cannot be scheduled as it stands (the share says why)"
                : report.End is { } end ? $"plan ends {end:yyyy-MM-dd}" : "nothing planned";
            await stderr.WriteLineAsync($"Wrote {file.FullName}: {report.Company}, {plan}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
