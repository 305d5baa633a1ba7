using Planner.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlannerWeb();

var app = builder.Build();
await app.UsePlannerWebAsync();
await app.RunAsync();
