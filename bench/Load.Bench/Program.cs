using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Planner.Engine.Export;
using Planner.Engine.Model;
using Planner.Persistence;
using Planner.Roadmaps;
using Planner.Files;

// Load: N Blazor circuits (headless Chromium pages, the real SignalR protocol) each edit their own initiative in the
// roadmap grid several times, while M chat requests share the one local model. Reports errors, lost edits, p50/p95
// save latency and chat time to first text (queue wait included) and to the full answer.
// Usage: dotnet run -c Release --project bench/Load.Bench [-- --circuits 50 --edits 3 --chats 5 --minutes 10]
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(int.Parse).DefaultIfEmpty(fallback).First();
var (circuits, edits, chats, minutes) = (Arg("--circuits", 50), Arg("--edits", 3), Arg("--chats", 5), Arg("--minutes", 10));
using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));

var root = new DirectoryInfo(AppContext.BaseDirectory);
while (root is not null && !File.Exists(Path.Combine(root.FullName, "Planner.sln"))) root = root.Parent;
if (root is null) throw new InvalidOperationException("Planner.sln not found above the bench.");
var configuration = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "Configuration").Value;
var webDll = Path.Combine(root.FullName, "src", "Web", "bin", configuration!, "net10.0", "Web.dll");
var work = Path.Combine(Path.GetTempPath(), "planner-load", Guid.NewGuid().ToString("N"));
var data = Path.Combine(work, "data");
var models = Path.Combine(work, "models");
Directory.CreateDirectory(models);

// A tiny GPT-2 with a 1,024-token context for the chats, and a roadmap with one initiative per circuit.
using (var model = new Gpt(new GptConfig(GptConfig.Gpt2VocabSize, 1024, Layers: 1, Heads: 2, Embedding: 32), seed: 3))
    GgufExporter.Export(model, Path.Combine(models, "tiny-1024.gguf"), GgufDataType.F32, "load-bench");
var config = new ConfigurationBuilder().AddInMemoryCollection([new(PlannerPaths.DataDirectoryKey, data)]).Build();
string[] keys;
await using (var services = new ServiceCollection().AddPlannerPersistence(config).BuildServiceProvider())
{
    await services.GetRequiredService<PlannerDatabase>().InitializeAsync(seedSample: true);
    var store = services.GetRequiredService<RoadmapStore>();
    var workspace = (await store.LoadAsync())!;
    for (var n = workspace.Initiatives.Count; n < circuits; n++)
        workspace.Initiatives.Add(new Initiative { Key = $"load{n}", Title = $"Load item {n}", DurationWeeks = 2, Demand = [new TeamDemand(workspace.Teams[0].Key, 1)] });
    await store.ReplaceRoadmapAsync(workspace, "load bench");
    keys = [.. workspace.Initiatives.Take(circuits).Select(i => i.Key)];
}

var port = FreePort();
var baseUrl = $"http://127.0.0.1:{port}";
var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(root.FullName, "src", "Web"), RedirectStandardOutput = true, RedirectStandardError = true };
start.ArgumentList.Add(webDll);
start.ArgumentList.Add("--urls");
start.ArgumentList.Add(baseUrl);
start.Environment["Planner__DataDirectory"] = data;
start.Environment["Planner__ModelsDirectory"] = models;
start.Environment["Logging__LogLevel__Default"] = "Warning";
// Development: static web assets (Radzen, Blazor) are served from the build output, as in the browser tests.
start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
using var app = Process.Start(start)!;
var appErrors = new ConcurrentQueue<string>();
app.OutputDataReceived += (_, e) => { if (e.Data?.Contains("fail:", StringComparison.Ordinal) == true) appErrors.Enqueue(e.Data); };
app.ErrorDataReceived += (_, e) => { if (!string.IsNullOrEmpty(e.Data) && !e.Data.StartsWith("[llama.cpp]", StringComparison.Ordinal)) appErrors.Enqueue(e.Data); };
app.BeginOutputReadLine();
app.BeginErrorReadLine();
using var http = new HttpClient();
for (var ready = false; !ready; )
{
    deadline.Token.ThrowIfCancellationRequested();
    try { ready = (await http.GetAsync(baseUrl + "/healthz", deadline.Token)).IsSuccessStatusCode; }
    catch (HttpRequestException) { await Task.Delay(200, deadline.Token); } // polling for the port to open, not timing
}

var errors = new ConcurrentQueue<string>();
var saves = new ConcurrentBag<double>();
var loads = new ConcurrentBag<double>();
var firstText = new ConcurrentBag<double>();
var answers = new ConcurrentBag<double>();
var queuePositions = new ConcurrentBag<int>();
var final = new ConcurrentDictionary<string, string>();
var wall = Stopwatch.StartNew();
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
var timeout = new PageWaitForSelectorOptions { Timeout = (float)TimeSpan.FromMinutes(minutes).TotalMilliseconds };

async Task<IPage> Open(string path)
{
    var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
    var page = await context.NewPageAsync();
    page.SetDefaultTimeout(timeout.Timeout!.Value);
    page.PageError += (_, e) => errors.Enqueue($"page error: {e}");
    var clock = Stopwatch.StartNew();
    await page.GotoAsync(baseUrl + path);
    await page.WaitForSelectorAsync("[data-interactive=true]", new() { State = WaitForSelectorState.Attached, Timeout = timeout.Timeout });
    loads.Add(clock.Elapsed.TotalMilliseconds);
    return page;
}

async Task Editor(int n)
{
    try
    {
        var page = await Open("/");
        await page.WaitForSelectorAsync("tbody tr.rz-data-row", new() { Timeout = timeout.Timeout }); // the grid has its rows
        var key = keys[n];
        for (var e = 1; e <= edits; e++)
        {
            // The row whose first cell (Id) is exactly this key.
            var row = page.Locator("tbody tr.rz-data-row").Filter(new()
            {
                Has = page.Locator("td:first-child", new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{key}\\s*$") }),
            });
            if (await row.CountAsync() != 1) throw new InvalidOperationException($"{await row.CountAsync()} rows for {key}; first row: {await page.Locator("tbody tr.rz-data-row").First.InnerTextAsync()}");
            await row.Locator(".edit-row").ClickAsync();
            var title = $"Edit {e} by circuit {n}";
            await page.FillAsync("#edit-title", title);
            var clock = Stopwatch.StartNew();
            await page.ClickAsync("#save-row");
            await page.WaitForSelectorAsync("#save-row", new() { State = WaitForSelectorState.Detached, Timeout = timeout.Timeout });
            saves.Add(clock.Elapsed.TotalMilliseconds);
            if (await page.GetByTestId("grid-problems").CountAsync() > 0)
                errors.Enqueue($"circuit {n}: {await page.GetByTestId("grid-problems").InnerTextAsync()}");
            else final[key] = title;
        }
    }
    catch (Exception ex) when (ex is PlaywrightException or TimeoutException or InvalidOperationException)
    {
        errors.Enqueue($"circuit {n}: {ex.Message.Split('\n')[0]}");
    }
}

async Task Chatter(int n)
{
    try
    {
        var page = await Open("/chat");
        await page.FillAsync("#chat-question", $"What if the backend team loses two people from week {4 + n}?");
        var clock = Stopwatch.StartNew();
        await page.ClickAsync("#chat-send");
        var status = page.GetByTestId("chat-status");
        if (await status.CountAsync() > 0 && await status.InnerTextAsync() is var text && text.Contains("position", StringComparison.Ordinal))
            queuePositions.Add(int.Parse(new string(text.Split("position ")[1].TakeWhile(char.IsDigit).ToArray()), CultureInfo.InvariantCulture));
        await page.WaitForSelectorAsync("[data-testid=chat-streaming] .answer:not(:empty), [data-testid=chat-answer]", new() { State = WaitForSelectorState.Attached, Timeout = timeout.Timeout });
        firstText.Add(clock.Elapsed.TotalMilliseconds);
        await page.WaitForSelectorAsync("[data-testid=chat-answer]", new() { State = WaitForSelectorState.Attached, Timeout = timeout.Timeout });
        answers.Add(clock.Elapsed.TotalMilliseconds);
        if (await page.GetByTestId("chat-error").CountAsync() > 0) errors.Enqueue($"chat {n}: {await page.GetByTestId("chat-error").InnerTextAsync()}");
    }
    catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
    {
        errors.Enqueue($"chat {n}: {ex.Message.Split('\n')[0]}");
    }
}

await Task.WhenAll(Enumerable.Range(0, circuits).Select(Editor).Concat(Enumerable.Range(0, chats).Select(Chatter)));
var elapsed = wall.Elapsed;

// No lost edits: every circuit's last saved title is in the saved roadmap.
using var exported = JsonDocument.Parse(await http.GetStringAsync(baseUrl + "/export/json"));
var saved = exported.RootElement.GetProperty("initiatives").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("title").GetString()!);
var lost = final.Count(p => saved.GetValueOrDefault(p.Key) != p.Value);
app.Kill(entireProcessTree: true);
await app.WaitForExitAsync();

static double P(IEnumerable<double> xs, double q)
{
    var a = xs.Order().ToArray();
    return a.Length == 0 ? double.NaN : a[Math.Min(a.Length - 1, (int)Math.Ceiling(q * a.Length) - 1)];
}

Console.WriteLine($"Load: {circuits} circuits × {edits} edits + {chats} chats sharing one model, {Environment.ProcessorCount} cores, {elapsed.TotalSeconds:0} s wall");
Console.WriteLine($"errors: {errors.Count + appErrors.Count} (pages/saves/chats {errors.Count}, server {appErrors.Count}); saves: {saves.Count} of {circuits * edits}; lost edits: {lost} of {final.Count} checked");
Console.WriteLine($"page ready (ms)       p50 {P(loads, 0.5),8:0}  p95 {P(loads, 0.95),8:0}");
Console.WriteLine($"save latency (ms)     p50 {P(saves, 0.5),8:0}  p95 {P(saves, 0.95),8:0}  max {P(saves, 1),8:0}");
Console.WriteLine($"chat first text (ms)  p50 {P(firstText, 0.5),8:0}  p95 {P(firstText, 0.95),8:0}   (includes the wait in the model queue; highest position seen {queuePositions.DefaultIfEmpty(0).Max()})");
Console.WriteLine($"chat full answer (ms) p50 {P(answers, 0.5),8:0}  p95 {P(answers, 0.95),8:0}");
foreach (var e in errors.Concat(appErrors).Take(10)) Console.WriteLine("  " + e);
try { Directory.Delete(work, recursive: true); } catch (IOException) { }
return errors.IsEmpty && appErrors.IsEmpty && lost == 0 && saves.Count == circuits * edits ? 0 : 1;

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
