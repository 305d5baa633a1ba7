using Planner.Web.Components.Pages.Roadmap;
using Planner.Roadmaps;

namespace Planner.Web.Tests.Roadmap;

/// <summary>The evidence badge in the roadmap grid and the quotes behind it, over a real store.</summary>
public sealed class EvidenceBadgeTests : SampleStoreContext
{
    private static readonly Evidence DarkMode = new("reviews", 2, 2 / 212.0, ["Great app. Dark mode would be the cherry on top."])
    {
        Sentiment = [new LabelShare("positive", 1)],
        Sources = [new EvidenceQuote("r055", "in-app", "Great app. Dark mode would be the cherry on top.", ["dark", "mode", "app"], 20.6, "positive", 0.91, Similarity: 0.62)],
    };

    private async Task<IRenderedComponent<InitiativeGrid>> RenderWithEvidence()
    {
        await Store.SetEvidenceAsync(Workspace.Name, new Dictionary<string, Evidence?> { ["i31"] = DarkMode });
        var workspace = (await Store.LoadAsync())!;
        return Render<InitiativeGrid>(ps => ps.Add(p => p.Workspace, workspace));
    }

    [Fact]
    public async Task Only_initiatives_with_evidence_show_a_badge_with_the_matched_count()
    {
        var grid = await RenderWithEvidence();
        var badge = Assert.Single(grid.FindAll("[data-testid=evidence-badge]"));
        Assert.Equal("2 reviews", badge.TextContent.Trim());
        Assert.Equal("2 reviews (1%) · positive 100%", badge.GetAttribute("title"));
        var row = badge.Closest("tr")!;
        Assert.Equal("i31", row.QuerySelector("td")!.TextContent.Trim());
    }

    [Fact]
    public async Task Clicking_the_badge_lists_the_quotes_with_their_review_and_why_they_matched()
    {
        var grid = await RenderWithEvidence();
        Assert.Empty(grid.FindAll("[data-testid=evidence-detail]"));
        grid.Find("[data-testid=evidence-badge]").Click();
        var detail = grid.Find("[data-testid=evidence-detail]");
        Assert.Contains("Dark mode would be the cherry on top.", detail.TextContent);
        Assert.Equal("r055", detail.QuerySelector("[data-testid=quote-review]")!.TextContent);
        Assert.Equal(["dark", "mode", "app"], detail.QuerySelectorAll("[data-testid=matched-term]").Select(t => t.TextContent));
        Assert.Contains("in-app", detail.TextContent);
        Assert.Equal("· meaning 0.62", detail.QuerySelector("[data-testid=quote-similarity]")!.TextContent.Trim());
    }
}
