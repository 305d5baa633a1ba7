using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Planner.Web.Api;

/// <summary>The HTTP API under /api/v1: its token scheme, Problem Details, JSON settings and the OpenAPI document
/// (/openapi/v1.json, committed as docs/openapi.json) with a reference page (/scalar).</summary>
public static class ApiServices
{
    public const string Prefix = "/api/v1";
    public const string OpenApiPath = "/openapi/v1.json";

    public static WebApplicationBuilder AddPlannerApi(this WebApplicationBuilder builder)
    {
        ApiTokenAuthentication.Add(builder);
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        builder.Services.AddOpenApi("v1", o =>
        {
            // The API only: the pages, downloads and health checks are described elsewhere (docs/).
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = "Planner API";
        document.Info.Description = "Workspaces, roadmaps, initiatives, schedules, scenarios, priorities, evidence, documents, import and export. " +
            "Send a personal access token as 'Authorization: Bearer <token>' (required when the app is exposed beyond this machine).";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A personal access token (plnr_…) from Access tokens in the app or planner token create.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
        // The address differs per machine and port; clients use the one they reached the document at.
        document.Servers?.Clear();
    }

    public static void MapPlannerApi(this WebApplication app)
    {
        app.UseApiDatabaseOutage();
        app.UseApiBodyLimit();
        var api = app.MapGroup(Prefix).RequireAuthorization(ApiTokenAuthentication.Policy);
        api.MapWorkspaceEndpoints();
        api.MapInitiativeEndpoints();
        api.MapPlanEndpoints();
        // It describes the API, not anyone's data: tools fetch it without a token.
        app.MapOpenApi(OpenApiPath).AllowAnonymous();
        app.MapScalarApiReference("/scalar", o => o.WithTitle("Planner API").WithOpenApiRoutePattern(OpenApiPath));
    }
}
