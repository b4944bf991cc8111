using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Vitrina.Catalogue;
using Vitrina.Grains.Classification;
using Vitrina.Images;
using Vitrina.Retraining;
using Vitrina.Training.Store;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// The moderator API: the moderation queue and its photos, the labels moderators give (or their verdict that a photo
/// shows none of the categories), one at a time or many in one call, and retraining from them now rather than at the
/// training grain's next scheduled run; and <c>/moderate</c>, the page moderators use it from. Every call needs <c>Authorization: Bearer {Vitrina:Moderation:ApiKey}</c>; with no key
/// configured the API is off (503), never open.
/// </summary>
public static class ModerationApi
{
    private const int MaxLabelsPerCall = 1000;

    public static void MapModerationApi(this WebApplication app)
    {
        var page = Path.Combine(AppContext.BaseDirectory, "Dashboard", "moderate.html");
        app.MapGet("/moderate", () => Results.File(page, "text/html; charset=utf-8")); // holds no data: it asks for the key
        // Middleware, not an endpoint filter: filters run after the body is bound, so a caller without the key could make
        // the silo parse megabytes of JSON before being refused.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/api/moderation") || http.Request.Path.StartsWithSegments("/api/training"),
            branch => branch.Use(RequireKey));
        var api = app.MapGroup("/api/moderation");
        api.MapGet("/", Queue);
        api.MapGet("/classes", Classes);
        api.MapGet("/photo/{**imageId}", CataloguePhotos.ForModerators);
        api.MapGet("/thumbnail/{**imageId}", CataloguePhotos.ThumbnailForModerators);
        api.MapPost("/", LabelMany).WithMetadata(new RequestSizeLimitAttribute(MaxLabelsPerCall * 1024));
        api.MapPost("/{**imageId}", Label).WithMetadata(new RequestSizeLimitAttribute(64 * 1024));
        app.MapPost("/api/training/retrain", (IGrainFactory grains) => grains.GetGrain<ITrainingGrain>(0).Retrain());
    }

    /// <param name="taxonomyBelow">Only photos the taxonomy head judged less likely than this to show one of the
    /// categories: the likely exclusions, to be dealt with together.</param>
    private static async Task<IResult> Queue(HttpContext http, IGrainFactory grains, int? limit, string? account, string? after, float? taxonomyBelow)
    {
        if (taxonomyBelow is not (null or (> 0 and <= 1)))
        {
            return Problem($"taxonomyBelow must be a probability in (0, 1]; got {taxonomyBelow}.");
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
        var (item, problem) = await Apply(grains.GetGrain<ICatalogueGrain>(0), imageId, request, CurrentModel(classifier));
        return (item, problem) switch
        {
            ({ } labelled, _) => Results.Ok(labelled),
            (null, { } refused) => Problem(refused),
            _ => Results.NotFound(new { error = NotFound(imageId) }),
        };
    }

    /// <summary>
    /// Many answers in one call, e.g. excluding the likely exclusions the queue lists with <c>taxonomyBelow</c>. Each is
    /// applied or reported on its own: one unknown image or class never holds up the rest.
    /// </summary>
    private static async Task<IResult> LabelMany(LabelRequest?[] requests, IGrainFactory grains, IOptions<ClassifierOptions> classifier)
    {
        if (requests.Length > MaxLabelsPerCall)
        {
            return Problem($"At most {MaxLabelsPerCall} labels per call; got {requests.Length}.");
        }

        var model = CurrentModel(classifier);
        var catalogue = grains.GetGrain<ICatalogueGrain>(0);
        var (labelled, excluded) = (0, 0);
        var problems = new List<LabelProblem>();
        foreach (var request in requests)
        {
            if (request is not { ImageId: { Length: > 0 } imageId })
            {
                problems.Add(new LabelProblem(null, "Give the image's imageId."));
                continue;
            }

            var (item, problem) = await Apply(catalogue, imageId, request, model);
            if (item is null)
            {
                problems.Add(new LabelProblem(imageId, problem ?? NotFound(imageId)));
            }
            else if (request.Outside == true)
            {
                excluded++;
            }
            else
            {
                labelled++;
            }
        }

        return Results.Ok(new { labelled, excluded, problems });
    }

    /// <summary>One moderator's answer, checked and filed: the updated row, or what is wrong with the answer (neither when
    /// no such image was filed).</summary>
    private static async Task<(CatalogueItem? Item, string? Problem)> Apply(ICatalogueGrain catalogue, string imageId, LabelRequest request, ModelManifest model)
    {
        if (Check(request, model) is { } problem)
        {
            return (null, problem);
        }

        try
        {
            return (await catalogue.Label(request.ToLabel(imageId)), null);
        }
        catch (ArgumentException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>What labels may name: the current model's classes.</summary>
    private static object Classes(IOptions<ClassifierOptions> classifier)
    {
        var model = CurrentModel(classifier);
        return new { model = model.Version, colours = model.ColourClasses, categories = model.CategoryClasses };
    }

    private static ModelManifest CurrentModel(IOptions<ClassifierOptions> classifier) =>
        new ModelStore(classifier.Value.ModelStore, ModelStore.ShippedRoot).Current();

    /// <summary>What is wrong with a moderator's answer before it reaches the catalogue, in words; null when nothing.</summary>
    private static string? Check(LabelRequest request, ModelManifest model)
    {
        if (request.Colour is null && request.Category is null && request.Outside != true)
        {
            return "Give a colour, a category or both; or \"outside\": true for a photo that none of the categories fits.";
        }

        if (request.Colour is { } colour && !model.ColourClasses.Contains(colour))
        {
            return $"Unknown colour '{colour}'; the current model {model.Version} knows {string.Join(", ", model.ColourClasses)}.";
        }

        if (request.Category is { } category && !model.CategoryClasses.Contains(category))
        {
            return $"Unknown category '{category}'; the current model {model.Version} knows {string.Join(", ", model.CategoryClasses)}.";
        }

        return null;
    }

    private static string NotFound(string imageId) => $"No image '{imageId}' in the catalogue.";

    private static async Task RequireKey(HttpContext http, RequestDelegate next)
    {
        var key = http.RequestServices.GetRequiredService<IConfiguration>()["Vitrina:Moderation:ApiKey"];
        if (string.IsNullOrEmpty(key))
        {
            await Results.Json(new { error = "The moderation API is off: set Vitrina:Moderation:ApiKey to turn it on." }, statusCode: StatusCodes.Status503ServiceUnavailable)
                .ExecuteAsync(http);
            return;
        }

        var header = http.Request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : ""; // the scheme is case-insensitive (RFC 7235)
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(key))))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await Results.Json(new { error = "Missing or wrong moderation API key (Authorization: Bearer ...)." }, statusCode: StatusCodes.Status401Unauthorized)
                .ExecuteAsync(http);
            return;
        }

        await next(http);
    }

    private static IResult Problem(string message) => Results.BadRequest(new { error = message });

    /// <param name="ImageId">Read from the body only when many labels come in one call; otherwise the path names it.</param>
    /// <param name="Outside">True when the photo shows none of the catalogue's categories: it is excluded, not labelled.</param>
    private sealed record LabelRequest(string? ImageId, string? Colour, string? Category, bool? Outside)
    {
        public ModeratorLabel ToLabel(string imageId) => new() { ImageId = imageId, Colour = Colour, Category = Category, Outside = Outside ?? false };
    }

    private sealed record LabelProblem(string? ImageId, string Error);
}
