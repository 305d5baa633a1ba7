using Planner.Web.Api;

namespace Planner.Web.Mcp;

/// <summary>The MCP server at /mcp (Streamable HTTP, stateless: any instance answers any request), behind the same
/// token rule as the HTTP API.</summary>
public static class McpServices
{
    public const string Path = "/mcp";

    public static WebApplicationBuilder AddPlannerMcp(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddMcpServer(o => o.ServerInfo = new() { Name = "planner", Version = "1.0" })
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools<PlannerMcpTools>();
        return builder;
    }

    public static void MapPlannerMcp(this WebApplication app) =>
        app.MapMcp(Path).RequireAuthorization(ApiTokenAuthentication.Policy);
}
