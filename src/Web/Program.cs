using Planner.Web;
using Planner.Web.Access;

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
