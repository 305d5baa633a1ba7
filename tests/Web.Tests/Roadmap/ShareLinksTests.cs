using Planner.Web.Components.Pages.Roadmap;

namespace Planner.Web.Tests.Roadmap;

/// <summary>The Share links panel over a real SQLite file: make a link, see it once, list it, revoke it.</summary>
public sealed class ShareLinksTests : SampleStoreContext
{
    [Fact]
    public void A_link_is_shown_once_as_an_absolute_address_listed_by_label_and_revoked()
    {
        var share = Render<ShareLinks>(ps => ps.Add(p => p.WorkspaceName, Workspace.Name));
        share.Find("[data-testid=share-links-toggle]").Click();
        Assert.NotNull(share.Find("[data-testid=share-links-none]"));

        share.Find("form").Submit();
        share.WaitForAssertion(() => Assert.Contains("needs a label", share.Find("[data-testid=share-link-error]").TextContent));

        share.Find("[data-testid=share-link-label]").Change("board");
        share.Find("form").Submit();
        share.WaitForAssertion(() => Assert.Single(share.FindAll("[data-testid=share-link]")));
        var url = share.Find("[data-testid=share-link-url]").GetAttribute("value")!;
        Assert.Matches("^http://localhost/s/[A-Za-z0-9_-]{43}$", url);
        Assert.Contains("board", share.Find("[data-testid=share-link]").TextContent);

        share.Find("[data-testid=share-link] button").Click();
        share.WaitForAssertion(() => Assert.NotNull(share.Find("[data-testid=share-links-none]")));
        Assert.Empty(share.FindAll("[data-testid=share-link-url]"));
    }
}
