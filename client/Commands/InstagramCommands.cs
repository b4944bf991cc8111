using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Vitrina.Accounts;
using Vitrina.Grains.Sources;
using Vitrina.Grains.Sources.Instagram;

namespace Vitrina.Client.Commands;

/// <summary>
/// <c>vitrina instagram fetch</c>: lists an account's photos straight from the Instagram Graph API with the silo's own
/// client (same paging, carousel and video rules), without a cluster. For checking a token or an account by hand.
/// </summary>
public static class InstagramCommands
{
    public const string TokenVariable = "VITRINA_INSTAGRAM_TOKEN";

    private static readonly JsonSerializerOptions JsonLines = new(Output.Json) { WriteIndented = false };

    public static Command Create()
    {
        var instagram = new Command("instagram", "Read Instagram accounts through the Graph API, without a cluster.");
        instagram.Subcommands.Add(Fetch());
        return instagram;
    }

    private static Command Fetch()
    {
        var defaults = new InstagramOptions();
        var username = new Argument<string>("username")
        {
            Description = $"The shop's Instagram username (a business or creator account, read by business discovery), or '{GraphApiClient.OwnAccount}' for the token's own account.",
        };
        var baseUrl = new Option<string>("--base-url") { Description = "Graph API root.", DefaultValueFactory = _ => defaults.BaseUrl };
        var limit = new Option<int?>("--limit") { Description = "Read at most this many posts (newest first); all when omitted." };
        var apiVersion = new Option<string>("--api-version") { Description = "Graph API version.", DefaultValueFactory = _ => defaults.ApiVersion };
        var userId = new Option<string?>("--user-id") { Description = "Our Instagram business account id; asked of /me when omitted." };
        var videos = new Option<VideoHandling>("--videos") { Description = "Skip videos, or list their cover frames (Thumbnail).", DefaultValueFactory = _ => defaults.Videos };
        var json = new Option<bool>("--json") { Description = "One JSON object per image per line, instead of aligned text." };
        var command = new Command("fetch",
            "List an account's photos from the Graph API: one row per image (carousels give one per photo), with its media id, post id, " +
            "permalink, time, caption and image link. Videos and media without a link are skipped and reported on standard error. " +
            $"The access token is read from {TokenVariable} (never from the command line, which other local users and the shell's " +
            "history can read), and never printed. Exits non-zero, naming the account and the failure, when the token, the account or the API fails.")
        {
            username, baseUrl, limit, apiVersion, userId, videos, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(username) is not { } name || (name != GraphApiClient.OwnAccount && !Handles.IsValid(name)))
            {
                result.AddError($"'{result.GetValue(username)}' is not a valid Instagram username: use 1-30 letters, digits, '.' or '_'.");
            }

            if (result.TryGetValue(limit, out var n) && n is <= 0)
            {
                result.AddError("--limit must be at least 1.");
            }

            if (!Uri.TryCreate(result.GetValue(baseUrl), UriKind.Absolute, out _))
            {
                result.AddError($"--base-url '{result.GetValue(baseUrl)}' is not an absolute URL.");
            }
        });
        command.SetAction(async (parse, cancellation) =>
        {
            var account = parse.GetRequiredValue(username);
            var accessToken = Environment.GetEnvironmentVariable(TokenVariable);
            if (string.IsNullOrEmpty(accessToken))
            {
                Console.Error.WriteLine($"instagram fetch @{account}: no access token: set {TokenVariable}.");
                return 2;
            }

            var most = parse.GetValue(limit);
            var settings = new Dictionary<string, string?>
            {
                [$"{InstagramOptions.Section}:BaseUrl"] = parse.GetValue(baseUrl),
                [$"{InstagramOptions.Section}:ApiVersion"] = parse.GetValue(apiVersion),
                [$"{InstagramOptions.Section}:AccessToken"] = accessToken,
                [$"{InstagramOptions.Section}:OurUserId"] = parse.GetValue(userId),
                [$"{InstagramOptions.Section}:Videos"] = parse.GetValue(videos).ToString(),
                [$"{InstagramOptions.Section}:PageSize"] = $"{Math.Min(most ?? defaults.PageSize, defaults.PageSize)}",
            };
            await using var services = new ServiceCollection()
                .AddLogging()
                .AddInstagramSource(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
                .BuildServiceProvider();
            var source = services.GetRequiredService<InstagramPostSource>();
            return await Print(source, account, most, parse.GetValue(json), cancellation);
        });
        return command;
    }

    private static async Task<int> Print(InstagramPostSource source, string account, int? limit, bool json, CancellationToken cancellation)
    {
        var rows = new List<FetchedImage>();
        int posts = 0, skipped = 0;
        try
        {
            await foreach (var post in source.ReadPosts(account, new AccountSource(AccountSource.Instagram, account), cancellation))
            {
                foreach (var image in post.Images)
                {
                    var row = new FetchedImage(image.MediaId, post.PostId, post.Permalink, post.PostedAt, post.Caption, image.Location.ToString());
                    if (json)
                    {
                        // Written as they come, so a long listing shows progress and survives a later failure.
                        Console.WriteLine(JsonSerializer.Serialize(row, JsonLines));
                    }
                    else
                    {
                        rows.Add(row);
                    }
                }

                foreach (var media in post.Skipped)
                {
                    Console.Error.WriteLine($"skipped {post.PostId}/{media.MediaId}: {media.Reason}");
                }

                skipped += post.Skipped.Count;
                if (++posts == limit)
                {
                    break;
                }
            }
        }
        catch (PostSourceUnavailableException e)
        {
            WriteTable(rows);
            var what = e.Disposition == SourceFailureDisposition.Park ? "needs attention" : "try again later";
            Console.Error.WriteLine($"instagram fetch @{account} failed ({what}): {e.Message}");
            return 1;
        }

        WriteTable(rows);
        Console.Error.WriteLine($"@{account}: {posts} post(s), {skipped} media skipped; API usage {source.Usage.MaxPercent}%");
        return 0;
    }

    // Plain lines rather than a table: image links are long, and a table squeezed into 80 columns breaks them apart.
    private static void WriteTable(List<FetchedImage> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        Console.WriteLine($"{"media id",-20} {"post id",-20} {"posted",-20} caption / image link");
        foreach (var r in rows)
        {
            var caption = (r.Caption ?? "").ReplaceLineEndings(" ");
            // Cut between text elements, not inside an emoji's surrogate pair.
            caption = new System.Globalization.StringInfo(caption) is { LengthInTextElements: > 50 } text ? text.SubstringByTextElements(0, 50) + "…" : caption;
            Console.WriteLine($"{r.MediaId,-20} {r.PostId,-20} {r.Timestamp,-20:u} {caption}");
            Console.WriteLine($"    {r.ImageUrl}");
        }
    }

    private sealed record FetchedImage(string MediaId, string PostId, string? Permalink, DateTimeOffset? Timestamp, string? Caption, string ImageUrl);
}
