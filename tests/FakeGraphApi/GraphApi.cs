using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Vitrina.FakeGraphApi;

/// <summary>
/// The Graph API routes: <c>/{version}/me</c>, <c>/{version}/{id}</c> (our user with business discovery, or a media
/// node) and <c>/{version}/{id}/media</c>. Every call passes the same gate as the real API: faults, token, rate budget.
/// </summary>
internal sealed partial class GraphApi(
    FakeInstagram world, FakeGraphOptions options, FakeGraphCounters counters, UsageMeter meter, FailureInjector failures, MediaRenderer renderer)
{
    private const string HtmlPage = "<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Sorry, something went wrong.</h1>" +
                                    "<p>We're working on it and we'll get it fixed as soon as we can.</p></body></html>";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/{version}/{id}", (HttpContext context, string version, string id) =>
        {
            var fields = context.Request.Query["fields"].ToString();
            var endpoint = id == "me" ? FakeGraphCounters.Me
                : fields.Contains("business_discovery", StringComparison.Ordinal) ? FakeGraphCounters.BusinessDiscovery
                : FakeGraphCounters.Node;
            return Answer(context, endpoint, version, () => Node(context.Request, id, Fields(fields)));
        });
        routes.MapGet("/{version}/{id}/media", (HttpContext context, string version, string id) =>
            Answer(context, FakeGraphCounters.MediaEdge, version, () => MediaEdge(context.Request, id)));
        routes.MapGet("/{version}/{id}/accounts", (HttpContext context, string version, string id) =>
            Answer(context, FakeGraphCounters.Me, version, () => Pages(id)));
    }

    private async Task Answer(HttpContext context, string endpoint, string version, Func<JsonObject> answer)
    {
        counters.Call(endpoint);
        var response = context.Response;
        var failure = failures.Next();
        if (failure is not null)
        {
            counters.Injected();
        }

        switch (failure)
        {
            case FakeFailure.Slow:
                try
                {
                    await Task.Delay(options.SlowDelay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                break;
            case FakeFailure.ServerError:
                await Write(response, 500, GraphErrors.Unexpected());
                return;
            case FakeFailure.HtmlPage:
                response.StatusCode = 502;
                response.ContentType = "text/html; charset=utf-8";
                await response.WriteAsync(HtmlPage);
                return;
            case FakeFailure.PermissionDenied:
                await Write(response, 403, GraphErrors.PermissionDenied());
                return;
            case FakeFailure.MalformedJson:
                response.ContentType = "application/json; charset=UTF-8";
                await response.WriteAsync("{\"data\":[{\"id\":\"17841");
                return;
        }

        if (!HasValidToken(context.Request))
        {
            counters.TokenRejected();
            await Write(response, 400, GraphErrors.BadToken());
            return;
        }

        var usage = meter.Take();
        meter.Write(response, usage, world.Owner.Id);
        if (!usage.Allowed)
        {
            counters.RateLimited();
            await Write(response, options.RateLimitCode == 4 ? 403 : 400, GraphErrors.RateLimited(options.RateLimitCode));
            return;
        }

        try
        {
            if (!Version().IsMatch(version))
            {
                throw new GraphAnswerException(400, GraphErrors.Body($"Unknown path components: /{version}", 2500));
            }

            await Write(response, 200, answer());
        }
        catch (GraphAnswerException e)
        {
            await Write(response, e.Status, e.Body);
        }
    }

    private JsonObject Node(HttpRequest request, string id, IReadOnlyList<FieldSelection> fields)
    {
        // The token is a Facebook user's (Facebook Login): /me is that user, not the Instagram account.
        if (id is "me" or FakeInstagram.FacebookUserId)
        {
            return FacebookUser(fields);
        }

        if (id == world.Owner.Id)
        {
            return User(world.Owner, fields, request, canDiscover: true);
        }

        // Our token reads our own media by id; another account's media only through business discovery. The API answers
        // a media id of someone else's as one that does not exist.
        if (world.FindMedia(id) is { Deleted: false } media && media.Owner == world.Owner.Username)
        {
            return renderer.Render(media, fields, request);
        }

        throw new GraphAnswerException(400, GraphErrors.NoSuchObject(id));
    }

    private static JsonObject FacebookUser(IReadOnlyList<FieldSelection> fields)
    {
        var node = new JsonObject { ["id"] = FakeInstagram.FacebookUserId };
        foreach (var field in fields.Where(f => f.Name != "id"))
        {
            node[field.Name] = field.Name == "name"
                ? "Vitrina Catalogue Admin"
                : throw new GraphAnswerException(400, GraphErrors.BadParameter($"Tried accessing nonexisting field ({field.Name}) on node type (User)"));
        }

        return node;
    }

    /// <summary>The user's Pages (<c>/me/accounts</c>): one, linked to our Instagram business account.</summary>
    private JsonObject Pages(string id)
    {
        if (id is not ("me" or FakeInstagram.FacebookUserId))
        {
            throw new GraphAnswerException(400, GraphErrors.NoSuchObject(id));
        }

        var page = new JsonObject
        {
            ["id"] = FakeInstagram.FacebookPageId,
            ["name"] = "Vitrina Catalogue",
            ["instagram_business_account"] = new JsonObject { ["id"] = world.Owner.Id, ["username"] = world.Owner.Username },
        };
        return new JsonObject { ["data"] = new JsonArray(page), ["paging"] = new JsonObject { ["cursors"] = new JsonObject { ["before"] = "QVFI", ["after"] = "QVFI" } } };
    }

    // Only our own account's media edge is readable with our token; others are read through business discovery.
    private JsonObject MediaEdge(HttpRequest request, string id)
    {
        if (id != world.Owner.Id)
        {
            throw new GraphAnswerException(400, GraphErrors.NoSuchObject(id));
        }

        var fields = Fields(request.Query["fields"].ToString());
        var page = MediaPaging.Read(world.Owner, request.Query["limit"], request.Query["after"], options.MostMediaPerAnswer);
        var answer = Page(page, fields, request);
        if (page.After is not null)
        {
            var query = new Dictionary<string, string?>
            {
                ["fields"] = request.Query["fields"], ["limit"] = request.Query["limit"], ["after"] = page.After, ["access_token"] = Token(request),
            };
            answer["paging"]!["next"] = $"{request.Scheme}://{request.Host}{request.Path}{QueryString.Create(query.Where(q => !string.IsNullOrEmpty(q.Value)))}";
        }

        return answer;
    }

    private JsonObject User(FakeAccount account, IReadOnlyList<FieldSelection> fields, HttpRequest request, bool canDiscover)
    {
        var node = new JsonObject();
        foreach (var field in fields.Count > 0 ? fields : [new FieldSelection("id", new Dictionary<string, string>(), [])])
        {
            node[field.Name] = field.Name switch
            {
                "id" => account.Id,
                "username" => account.Username,
                "name" => account.Username.Replace('.', ' ').Replace('_', ' '),
                "media_count" => account.Media.Count,
                "followers_count" => 1000 + account.Username.Length * 37,
                "media" => Page(MediaPaging.Read(account, field.Modifier("limit"), field.Modifier("after"), options.MostMediaPerAnswer), field.Children, request),
                "business_discovery" when canDiscover => Discover(field, request),
                _ => throw new GraphAnswerException(400, GraphErrors.BadParameter($"Tried accessing nonexisting field ({field.Name}) on node type (IGUser)")),
            };
        }

        node["id"] ??= account.Id; // the API names every node it returns
        return node;
    }

    private JsonObject Discover(FieldSelection field, HttpRequest request)
    {
        var username = field.Modifier("username")
                       ?? throw new GraphAnswerException(400, GraphErrors.BadParameter("business_discovery needs .username(NAME)"));
        var account = world.FindAccount(username) ?? throw new GraphAnswerException(400, GraphErrors.UserNotFound(username));
        if (account.Kind != FakeAccountKind.Business)
        {
            throw new GraphAnswerException(400, GraphErrors.NotBusiness(username));
        }

        return User(account, field.Children, request, canDiscover: false);
    }

    private JsonObject Page(MediaPaging.Page page, IReadOnlyList<FieldSelection> fields, HttpRequest request)
    {
        var cursors = new JsonObject();
        if (page.Before is not null)
        {
            cursors["before"] = page.Before;
        }

        if (page.After is not null)
        {
            cursors["after"] = page.After;
        }

        return new JsonObject
        {
            ["data"] = new JsonArray(page.Items.Select(m => (JsonNode)renderer.Render(m, fields, request)).ToArray()),
            ["paging"] = new JsonObject { ["cursors"] = cursors },
        };
    }

    private static IReadOnlyList<FieldSelection> Fields(string text)
    {
        try
        {
            return text.Length == 0 ? [] : FieldSelection.Parse(text);
        }
        catch (FormatException e)
        {
            throw new GraphAnswerException(400, GraphErrors.Body(e.Message, 2500));
        }
    }

    private bool HasValidToken(HttpRequest request) => Token(request) is { } token && token == options.AccessToken;

    private static string? Token(HttpRequest request)
    {
        if (request.Query.TryGetValue("access_token", out var query))
        {
            return query.ToString();
        }

        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.StartsWith("OAuth ", StringComparison.OrdinalIgnoreCase)
            ? header[(header.IndexOf(' ') + 1)..]
            : null;
    }

    private static Task Write(HttpResponse response, int status, JsonObject body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=UTF-8";
        return response.WriteAsync(body.ToJsonString());
    }

    [GeneratedRegex("^v[0-9]+\\.[0-9]+$")]
    private static partial Regex Version();
}
