using Microsoft.Playwright;

namespace Planner.E2E.Tests;

/// <summary>The test Chromium, whose pages and contexts prefer reduced motion unless a test says otherwise. A page
/// whose app has stopped (the test ended, or killed it) shows Blazor's reconnect animation until the browser closes;
/// animated, such a page kept a core busy for the rest of its test class. The app honours the preference, so nothing a
/// test checks depends on it.</summary>
internal sealed class ReducedMotionBrowser(IBrowser inner) : IBrowser
{
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
    public IReadOnlyList<IBrowserContext> Contexts => inner.Contexts;
    public bool IsConnected => inner.IsConnected;
    public string Version => inner.Version;

    public Task<IPage> NewPageAsync(BrowserNewPageOptions? options = null) =>
        inner.NewPageAsync(new BrowserNewPageOptions(options ?? new()) { ReducedMotion = options?.ReducedMotion ?? ReducedMotion.Reduce });

    public Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null) =>
        inner.NewContextAsync(new BrowserNewContextOptions(options ?? new()) { ReducedMotion = options?.ReducedMotion ?? ReducedMotion.Reduce });

    public Task CloseAsync(BrowserCloseOptions? options = null) => inner.CloseAsync(options);
    public Task<ICDPSession> NewBrowserCDPSessionAsync() => inner.NewBrowserCDPSessionAsync();
    public Task<BrowserBindResult> BindAsync(string title, BrowserBindOptions? options = null) => inner.BindAsync(title, options);
    public Task UnbindAsync() => inner.UnbindAsync();
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
