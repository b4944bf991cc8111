using Microsoft.AspNetCore.WebUtilities;
using Vitrina.Catalogue;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// One page of catalogue rows over HTTP. The body stays a plain array; when more rows follow, a
/// <c>Link: &lt;...&after=ID&gt;; rel="next"</c> header (RFC 8288) names the next page, keyed by the last image id
/// (and, newest posts first, <c>afterPosted</c>, its post time) rather than an offset so that rows filed meanwhile are
/// neither skipped nor repeated.
/// </summary>
internal static class CataloguePages
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    public static Task<IResult> Page(HttpContext http, IGrainFactory grains, CatalogueQuery query) => Page(http, grains, query, item => item);

    /// <param name="view">What each row is shown as.</param>
    public static async Task<IResult> Page<T>(HttpContext http, IGrainFactory grains, CatalogueQuery query, Func<CatalogueItem, T> view)
    {
        var limit = Math.Clamp(query.Limit, 1, MaxLimit);
        // One row more than asked for tells whether a next page exists without counting the rest.
        var rows = await grains.GetGrain<ICatalogueGrain>(0).List(query with { Limit = limit + 1 });
        var page = rows.Take(limit).ToList();
        if (rows.Count > limit)
        {
            var parameters = QueryHelpers.ParseQuery(http.Request.QueryString.Value);
            parameters["after"] = page[^1].ImageId;
            if (query.NewestPostsFirst)
            {
                parameters["afterPosted"] = page[^1].PostedAt!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            }

            var next = QueryHelpers.AddQueryString($"{http.Request.PathBase}{http.Request.Path}", parameters);
            http.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        }

        return Results.Ok(page.Select(view).ToList());
    }
}
