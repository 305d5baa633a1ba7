using Ganss.Xss;
using Markdig;
using Microsoft.AspNetCore.Components;

namespace Planner.Web;

/// <summary>Renders untrusted Markdown — a model's answer — as HTML that cannot run anything: Markdig turns it into
/// HTML with raw HTML disabled, then HtmlSanitizer keeps only harmless elements and attributes (no scripts, event
/// handlers, styles or javascript: links).</summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UseEmphasisExtras().UsePipeTables().Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedCssProperties.Clear();
        return sanitizer;
    }

    public static string ToHtml(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(markdown ?? "", Pipeline));

    public static MarkupString Render(string markdown) => new(ToHtml(markdown));
}
