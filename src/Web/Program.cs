using Planner.Engine.Native;
using Planner.Web;
using Planner.Web.Access;

// Huge pages for training's memory: glibc asks for them only when told at the process's start (HugePages).
if (System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly) _ = HugePages.StartAskingForThem();

var builder = WebApplication.CreateBuilder(args);
try
{
    builder.AddPlannerWeb();
}
catch (StartupRefusal refusal)
{
    await Console.Error.WriteLineAsync($"planner: {refusal.Message}");
    return 1;
}

var app = builder.Build();
await app.UsePlannerWebAsync();
await app.RunAsync();
return 0;
