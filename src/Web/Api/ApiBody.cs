using Planner.Interchange;

namespace Planner.Web.Api;

/// <summary>Request bodies read whole under a size limit: a larger body is refused (413) before it is read in full.</summary>
public static class ApiBody
{
    /// <summary>JSON bodies other than roadmap files (an initiative, a scenario): generous for any real one.</summary>
    public const long MaxJsonBytes = 1024 * 1024;

    /// <summary>The body, or null when it is longer than <paramref name="max"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long max, CancellationToken ct)
    {
        if (request.ContentLength > max) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public static IResult TooLarge(long max) => Results.Problem($"The body is larger than {ImportLimits.Describe(max)}, the most this request takes.",
        statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>Refuses (413) a JSON body over <see cref="MaxJsonBytes"/> on the API's typed endpoints, by its declared
    /// length, before the model binder reads it; a body without one is capped by the server at the same size.</summary>
    public static void UseApiBodyLimit(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api") && context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>() is { RequestType: not null } accepts
            && accepts.RequestType != typeof(string) && accepts.RequestType != typeof(RoadmapDocument))
        {
            if (context.Request.ContentLength > MaxJsonBytes)
            {
                await TooLarge(MaxJsonBytes).ExecuteAsync(context);
                return;
            }
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxJsonBytes;
        }
        await next(context);
    });
}
