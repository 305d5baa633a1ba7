using System.Data.Common;
using Microsoft.AspNetCore.Components;
using Planner.Web.Components.Layout;

namespace Planner.Web.Tests.Layout;

/// <summary>An exception a page leaves unhandled: the page is replaced by what happened, the session lives on, and the
/// page comes back when asked.</summary>
public sealed class PageErrorBoundaryTests : BunitContext
{
    private sealed class ConnectionEnded : DbException
    {
        public ConnectionEnded() : base("Exception while reading from stream") { }

        public override bool IsTransient => true;
    }

    /// <summary>A page with a Save button that fails as the test says, and a count of how often it was created.</summary>
    private sealed class FailingPage : ComponentBase
    {
        public static int Created;

        [Parameter] public Func<Exception?> Failure { get; set; } = () => null;

        protected override void OnInitialized() => Created++;

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "id", "save");
            builder.AddAttribute(2, "onclick", EventCallback.Factory.Create(this, async () =>
            {
                await Task.Yield();
                if (Failure() is { } e) throw e;
            }));
            builder.AddContent(3, "Save");
            builder.CloseElement();
        }
    }

    private IRenderedComponent<PageErrorBoundary> Render(Func<Exception?> failure) =>
        Render<PageErrorBoundary>(ps => ps.AddChildContent<FailingPage>(page => page.Add(p => p.Failure, failure)));

    [Fact]
    public void The_database_going_away_during_a_write_says_nothing_was_saved_and_the_page_comes_back()
    {
        var failing = true;
        var boundary = Render(() => failing ? new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", new ConnectionEnded()) : null);
        var created = FailingPage.Created;

        boundary.Find("#save").Click();
        boundary.WaitForAssertion(() => Assert.Equal(
            "Not saved. The database cannot be reached right now, so nothing was saved; try again once it is back.",
            System.Text.RegularExpressions.Regex.Replace(boundary.Find("[data-testid=page-error] span").TextContent, @"\s+", " ").Trim()));
        Assert.Empty(boundary.FindAll("#save"));

        failing = false;
        boundary.Find("[data-testid=page-error-retry]").Click();
        boundary.WaitForAssertion(() => Assert.NotNull(boundary.Find("#save")));
        Assert.Equal(created + 1, FailingPage.Created); // rendered afresh
        boundary.Find("#save").Click();
        Assert.Empty(boundary.FindAll("[data-testid=page-error]"));
    }

    [Fact]
    public void Any_other_error_is_named_without_its_message_and_not_called_an_outage()
    {
        var boundary = Render(() => new KeyNotFoundException("The given key 'i99' was not present in the dictionary."));
        boundary.Find("#save").Click();
        boundary.WaitForAssertion(() => Assert.Contains("This page stopped on an error (KeyNotFoundException)", boundary.Find("[data-testid=page-error]").TextContent));
        Assert.DoesNotContain("database", boundary.Find("[data-testid=page-error]").TextContent);
        Assert.DoesNotContain("i99", boundary.Find("[data-testid=page-error]").TextContent);
    }
}
