using Microsoft.Playwright;

namespace Planner.E2E.Tests;

/// <summary>One test class's share of the suite's Chromium: its pages and contexts prefer reduced motion unless a test
/// says otherwise, and closing (or disposing) it closes every page and context the class opened, never the shared
/// browser. A page whose app has stopped (the test ended, or killed it) shows Blazor's reconnect animation until its
/// context closes; animated, such a page kept a core busy. The app honours the preference, so nothing a test checks
/// depends on it.</summary>
internal sealed class ClassBrowser(IBrowser inner) : IBrowser
{
    private readonly List<IBrowserContext> opened = [];

    public event EventHandler<IBrowserContext> Context
    {
        add => inner.Context += value;
        remove => inner.Context -= value;
    }

    public event EventHandler<IBrowser> Disconnected
    {
        add => inner.Disconnected += value;
        remove => inner.Disconnected -= value;
    }

    public IBrowserType BrowserType => inner.BrowserType;

    /// <summary>The contexts this class opened and has not closed.</summary>
    public IReadOnlyList<IBrowserContext> Contexts
    {
        get { lock (opened) return [.. opened]; }
    }

    public bool IsConnected => inner.IsConnected;
    public string Version => inner.Version;

    public async Task<IPage> NewPageAsync(BrowserNewPageOptions? options = null)
    {
        var page = await inner.NewPageAsync(new BrowserNewPageOptions(options ?? new()) { ReducedMotion = options?.ReducedMotion ?? ReducedMotion.Reduce });
        Track(page.Context);
        return page;
    }

    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        var context = await inner.NewContextAsync(new BrowserNewContextOptions(options ?? new()) { ReducedMotion = options?.ReducedMotion ?? ReducedMotion.Reduce });
        Track(context);
        return context;
    }

    private void Track(IBrowserContext context)
    {
        lock (opened) opened.Add(context);
        context.Close += (_, _) => { lock (opened) opened.Remove(context); };
    }

    public async Task CloseAsync(BrowserCloseOptions? options = null)
    {
        foreach (var context in Contexts)
        {
            try
            {
                await context.CloseAsync();
            }
            catch (PlaywrightException) { } // the browser went away meanwhile: nothing left to close
        }
    }

    public Task<ICDPSession> NewBrowserCDPSessionAsync() => inner.NewBrowserCDPSessionAsync();
    public Task<BrowserBindResult> BindAsync(string title, BrowserBindOptions? options = null) => inner.BindAsync(title, options);
    public Task UnbindAsync() => inner.UnbindAsync();
    public async ValueTask DisposeAsync() => await CloseAsync();
}
