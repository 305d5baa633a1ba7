using AngleSharp.Html.Parser;

namespace Planner.Web.Tests;

public class SafeMarkdownTests
{
    /// <summary>Checks the rendered HTML as a browser would build it: no element or attribute that can run code.
    /// (Escaped text such as "&lt;script&gt;" is harmless and allowed: it shows as text.)</summary>
    private static void AssertInert(string html)
    {
        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");
        Assert.Empty(document.QuerySelectorAll("script, iframe, object, embed, style, link, meta, form, svg"));
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"event handler {attribute.Name} on <{element.LocalName}>");
                Assert.NotEqual("style", attribute.Name);
                if (attribute.Name is "href" or "src")
                    Assert.StartsWith("http", attribute.Value.Trim(), StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("![pixel](javascript:alert(1))")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    [InlineData("<a href=\"#\" onclick=\"steal()\">x</a>")]
    [InlineData("<div style=\"background:url(javascript:alert(1))\">x</div>")]
    [InlineData("[x](JaVaScRiPt:alert(1)) and <svg onload=alert(1)>")]
    public void Markup_smuggled_through_model_output_is_inert(string injected)
    {
        var html = SafeMarkdown.ToHtml($"Here is the answer.\n\n{injected}\n\nDone [1].");
        AssertInert(html);
        Assert.Contains("Here is the answer.", html);
        Assert.Contains("Done [1].", html);
    }

    [Fact]
    public void Ordinary_markdown_still_renders()
    {
        var html = SafeMarkdown.ToHtml("**Bank feeds** come first:\n\n- reconcile\n- match\n\n[source](https://example.com/doc)");
        Assert.Contains("<strong>Bank feeds</strong>", html);
        Assert.Contains("<li>reconcile</li>", html);
        Assert.Contains("href=\"https://example.com/doc\"", html);
        AssertInert(html);
    }
}
