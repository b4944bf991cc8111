using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Orleans.Runtime;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// What the HTTP API answers when something behind it fails (the catalogue database, a grain on another silo): JSON
/// saying which part failed, whether to retry, and the request id under which the silo logged the details (the JSON
/// log's <c>RequestId</c> scope), instead of an empty 500. The database's own words stay in the log: they name tables
/// and queries, which callers need not see.
/// </summary>
public static class ApiErrors
{
    /// <summary>
    /// Request parameters that do not parse (<c>?limit=abc</c>, a body that is not JSON) are answered 400 with what did
    /// not parse, rather than an empty 400; the caller's mistake is not logged as the silo's error.
    /// </summary>
    public static void AddVitrinaApiErrors(this IServiceCollection services) =>
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

    public static void UseVitrinaApiErrors(this WebApplication app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = async context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                var (status, message) = Describe(error);
                context.Response.StatusCode = status;
                if (status == StatusCodes.Status503ServiceUnavailable)
                {
                    context.Response.Headers.RetryAfter = "5";
                }

                await context.Response.WriteAsJsonAsync(new { error = message, requestId = context.TraceIdentifier });
            },
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });

    private static (int Status, string Message) Describe(Exception? error) => error switch
    {
        BadHttpRequestException bad => (bad.StatusCode, bad.Message),
        _ when Caused<DbException>(error) => (StatusCodes.Status503ServiceUnavailable,
            "The catalogue database failed to answer this request; retry later. The silo's log has the details under this request id."),
        _ when Caused<TimeoutException>(error) || Caused<OrleansException>(error) => (StatusCodes.Status503ServiceUnavailable,
            "The cluster could not serve this request (a silo unreachable or too slow); retry later. The silo's log has the details under this request id."),
        _ => (StatusCodes.Status500InternalServerError,
            "The silo failed to answer this request. Its log has the details under this request id."),
    };

    private static bool Caused<T>(Exception? error) where T : Exception
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is T)
            {
                return true;
            }
        }

        return false;
    }
}
