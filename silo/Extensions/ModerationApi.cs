using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Vitrina.Catalogue;
using Vitrina.Grains.Classification;
using Vitrina.Images;
using Vitrina.Retraining;
using Vitrina.Training.Store;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// The moderator API: the moderation queue, the labels moderators give (or their verdict that a photo shows none of the
/// categories), and retraining from them now rather than at the training grain's next scheduled run. Every call needs
/// <c>Authorization: Bearer {Vitrina:Moderation:ApiKey}</c>; with no key configured the API is off (503), never open.
/// </summary>
public static class ModerationApi
{
    public static void MapModerationApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/moderation").AddEndpointFilter(RequireKey);
        api.MapGet("/", Queue);
        api.MapPost("/{**imageId}", Label);
        app.MapPost("/api/training/retrain", (IGrainFactory grains) => grains.GetGrain<ITrainingGrain>(0).Retrain()).AddEndpointFilter(RequireKey);
    }

    /// <param name="taxonomyBelow">Only photos the taxonomy head judged less likely than this to show one of the
    /// categories: the likely exclusions, to be dealt with together.</param>
    private static async Task<IResult> Queue(HttpContext http, IGrainFactory grains, int? limit, string? account, string? after, float? taxonomyBelow)
    {
        if (CataloguePages.CheckProbability(nameof(taxonomyBelow), taxonomyBelow) is { } problem)
        {
            return Problem(problem);
        }

        return await CataloguePages.Page(http, grains, new CatalogueQuery
        {
            Status = ImageStatus.Moderation,
            Account = account,
            After = after,
            InTaxonomyBelow = taxonomyBelow,
            Limit = limit ?? CataloguePages.DefaultLimit,
        });
    }

    private static async Task<IResult> Label(string imageId, LabelRequest request, IGrainFactory grains, IOptions<ClassifierOptions> classifier)
    {
        var outside = request.Outside ?? false;
        if (request.Colour is null && request.Category is null && !outside)
        {
            return Problem("Give a colour, a category or both; or \"outside\": true for a photo that none of the categories fits.");
        }

        var model = new ModelStore(classifier.Value.ModelStore, ModelStore.ShippedRoot).Current();
        if (request.Colour is { } colour && !model.ColourClasses.Contains(colour))
        {
            return Problem($"Unknown colour '{colour}'; the current model {model.Version} knows {string.Join(", ", model.ColourClasses)}.");
        }

        if (request.Category is { } category && !model.CategoryClasses.Contains(category))
        {
            return Problem($"Unknown category '{category}'; the current model {model.Version} knows {string.Join(", ", model.CategoryClasses)}.");
        }

        try
        {
            var item = await grains.GetGrain<ICatalogueGrain>(0).Label(
                new ModeratorLabel { ImageId = imageId, Colour = request.Colour, Category = request.Category, Outside = outside });
            return item is null ? Results.NotFound(new { error = $"No image '{imageId}' in the catalogue." }) : Results.Ok(item);
        }
        catch (ArgumentException e)
        {
            return Problem(e.Message);
        }
    }

    private static async ValueTask<object?> RequireKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.RequestServices.GetRequiredService<IConfiguration>()["Vitrina:Moderation:ApiKey"];
        if (string.IsNullOrEmpty(key))
        {
            return Results.Json(new { error = "The moderation API is off: set Vitrina:Moderation:ApiKey to turn it on." }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var header = http.Request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : "";
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(key))))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Json(new { error = "Missing or wrong moderation API key (Authorization: Bearer ...)." }, statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context);
    }

    private static IResult Problem(string message) => Results.BadRequest(new { error = message });

    /// <param name="Outside">True when the photo shows none of the catalogue's categories: it is excluded, not labelled.</param>
    private sealed record LabelRequest(string? Colour, string? Category, bool? Outside);
}
