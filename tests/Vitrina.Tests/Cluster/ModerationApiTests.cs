using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Vitrina.ClusterHarness;
using Vitrina.Tests.Support;

namespace Vitrina.Tests.Cluster;

/// <summary>The moderator API on a real silo process running the demo shops: credentials, the queue, labels.</summary>
[Collection(nameof(ProcessClusterCollection))]
public sealed class ModerationApiTests
{
    private const string Key = "moderator-key-for-tests";

    private static Dictionary<string, string> Settings(bool withKey)
    {
        var settings = new Dictionary<string, string>
        {
            ["Vitrina:Demo:Enabled"] = "true",
            ["Vitrina:Training:MinLabels"] = "5",
            ["Vitrina:Cluster:SiloPort"] = FreePorts.Next().ToString(),
            ["Vitrina:Cluster:GatewayPort"] = FreePorts.Next().ToString(),
        };
        if (withKey)
        {
            settings["Vitrina:Moderation:ApiKey"] = Key;
            settings["Vitrina:Http:TrustedProxies"] = "127.0.0.1, 10.0.0.0/8"; // the test's requests come as from a proxy
        }

        return settings;
    }

    [Fact]
    public async Task Moderators_with_the_key_see_the_queue_and_their_labels_move_photos_into_the_catalogue()
    {
        using var folder = new TempFolder();
        var settings = Settings(withKey: true);
        await using var silo = SiloProcess.Start(1, folder.Path, settings, FreePorts.Next());
        await silo.WaitReady(TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = new Uri(silo.HttpUrl) };

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/moderation")).StatusCode);
        // Refused before the body is read: a keyless caller learns nothing from its body, nor makes the silo parse it.
        using (var body = new StringContent("[{\"imageId\": not json", System.Text.Encoding.UTF8, "application/json"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/api/moderation", body)).StatusCode);
        }

        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/moderation"))
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key");
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        }

        using (var lowerCase = new HttpRequestMessage(HttpMethod.Get, "/api/moderation?limit=1"))
        {
            lowerCase.Headers.Authorization = new AuthenticationHeaderValue("bearer", Key); // the scheme is case-insensitive
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(lowerCase)).StatusCode);
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        // The test labels six photos: one alone, then five for retraining.
        var queue = await WaitForQueue(http, silo, photos: 6);
        var imageId = queue[0].GetProperty("imageId").GetString()!;

        // Page by page (the Link header names the next page) gives the whole queue once, in order; the CLI pages alike.
        await WaitForAllFiled(http, silo, Directory.GetFiles(RepoPaths.File("deploy/demo/accounts"), "*.jpg", SearchOption.AllDirectories).Length);
        var whole = await Ids(await http.GetAsync("/api/moderation?limit=1000"));
        Assert.True(whole.Count > 4, $"{whole.Count} photos queued");
        var paged = new List<string>();
        for (var next = "/api/moderation?limit=4"; next is not null;)
        {
            using var page = await http.GetAsync(next);
            paged.AddRange(await Ids(page));
            next = page.Headers.TryGetValues("Link", out var links) ? NextPage(links.Single()) : null;
        }

        Assert.Equal(whole, paged);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/moderation?taxonomyBelow=1.5")).StatusCode);
        // The likely exclusions: most demo photos are T-shirts and trousers.
        var likelyOutside = await http.GetFromJsonAsync<JsonElement[]>("/api/moderation?limit=1000&taxonomyBelow=0.5");
        Assert.NotEmpty(likelyOutside!);
        Assert.All(likelyOutside!, i => Assert.InRange(i.GetProperty("inTaxonomyProbability").GetSingle(), 0f, 0.5f));
        Assert.Subset(whole.ToHashSet(), likelyOutside!.Select(i => i.GetProperty("imageId").GetString()!).ToHashSet());
        var gateway = settings["Vitrina:Cluster:GatewayPort"];
        var firstTwo = await CliRunner.Run(folder.Path, "catalogue", "list", "--status", "Moderation", "--limit", "2", "--gateway", gateway);
        Assert.Contains($"--after {whole[1]}", firstTwo.Output);
        var nextTwo = await CliRunner.Run(folder.Path, "catalogue", "list", "--status", "Moderation", "--limit", "2", "--after", whole[1], "--gateway", gateway, "--json");
        Assert.Equal(whole.Skip(2).Take(2), JsonDocument.Parse(nextTwo.Output).RootElement.EnumerateArray().Select(i => i.GetProperty("imageId").GetString()));
        var oneShop = await CliRunner.Run(folder.Path, "catalogue", "list", "--account", "ANNA_VINTAGE", "--gateway", gateway, "--json");
        var shopRows = JsonDocument.Parse(oneShop.Output).RootElement.EnumerateArray().Select(i => i.GetProperty("account").GetString()).ToList();
        Assert.NotEmpty(shopRows);
        Assert.All(shopRows, a => Assert.Equal("anna_vintage", a));
        var refused = await CliRunner.Run(folder.Path, "catalogue", "list", "--taxonomy-below", "0", "--gateway", gateway);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--taxonomy-below must be a probability", refused.Error + refused.Output);

        // The four demo shops have polled: the registry's tally has them all polling, none in trouble.
        var tally = await http.GetFromJsonAsync<JsonElement>("/api/accounts/tally");
        Assert.Equal((4, 0, 0, 0), (tally.GetProperty("active").GetInt32(), tally.GetProperty("failing").GetInt32(),
            tally.GetProperty("parked").GetInt32(), tally.GetProperty("unreported").GetInt32()));

        // The dashboard's figures for this silo: what it classified, its queue, what the queue refused, the photos handed
        // back and those given up.
        var stats = await http.GetFromJsonAsync<JsonElement>("/api/stats");
        Assert.True(stats.GetProperty("classified").GetInt64() >= 6);
        Assert.Equal("cpu float32", stats.GetProperty("servedOn").GetString());
        Assert.InRange(stats.GetProperty("queued").GetInt32(), 0, stats.GetProperty("queueLimit").GetInt32());
        Assert.Equal(0, stats.GetProperty("refused").GetInt64());
        Assert.Equal(0, stats.GetProperty("handedBack").GetInt64());
        Assert.Equal(0, stats.GetProperty("gaveUp").GetInt64());
        Assert.Contains("filed / s (cluster)", await http.GetStringAsync("/"));
        // The Instagram call budget the demo's folder shops never draw on: nothing granted, nothing blocked.
        var budget = await http.GetFromJsonAsync<JsonElement>("/api/instagram/budget");
        Assert.Equal((0, 0, JsonValueKind.Null), (budget.GetProperty("granted").GetInt64(), budget.GetProperty("refused").GetInt64(), budget.GetProperty("blockedUntil").ValueKind));
        Assert.Contains("Instagram usage", await http.GetStringAsync("/"));
        using (var moderatePage = await http.GetAsync("/moderate"))
        {
            // No other site may frame the pages: a hidden frame could make a moderator click "Outside the categories".
            Assert.Equal("DENY", moderatePage.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("frame-ancestors 'none'", moderatePage.Headers.GetValues("Content-Security-Policy").Single());
        }

        var unknownColour = await http.PostAsJsonAsync($"/api/moderation/{imageId}", new { colour = "Purple" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownColour.StatusCode);
        Assert.Contains("Purple", await unknownColour.Content.ReadAsStringAsync());
        using (var notJson = await http.PostAsync($"/api/moderation/{imageId}", new StringContent("{colour: Blue", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
            Assert.Contains("JSON", (await notJson.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }

        var nothing = await http.PostAsJsonAsync($"/api/moderation/{imageId}", new { });
        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        Assert.Contains("outside", await nothing.Content.ReadAsStringAsync());
        var outsideWithLabel = await http.PostAsJsonAsync($"/api/moderation/{imageId}", new { category = "Bags", outside = true });
        Assert.Equal(HttpStatusCode.BadRequest, outsideWithLabel.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync("/api/moderation/no-such/image", new { colour = "Blue" })).StatusCode);

        var labelled = await http.PostAsJsonAsync($"/api/moderation/{imageId}", new { colour = "Blue", category = "Dresses" });
        Assert.Equal(HttpStatusCode.OK, labelled.StatusCode);
        var item = await labelled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Catalogued", item.GetProperty("status").ToString());
        Assert.Equal("moderator", item.GetProperty("modelVersion").GetString());
        Assert.Equal("Blue", item.GetProperty("colour").GetString());

        var after = await http.GetFromJsonAsync<JsonElement[]>("/api/moderation?limit=1000");
        Assert.DoesNotContain(after!, i => i.GetProperty("imageId").GetString() == imageId);
        var summary = await http.GetFromJsonAsync<JsonElement>("/api/catalogue/summary");
        Assert.Contains(summary.GetProperty("cells").EnumerateArray(),
            c => c.GetProperty("colour").GetString() == "Blue" && c.GetProperty("category").GetString() == "Dresses");
        // The shelf shoppers see (no key needed): catalogued photos only.
        using (var shelves = new HttpClient { BaseAddress = new Uri(silo.HttpUrl) })
        {
            var shelf = await shelves.GetFromJsonAsync<JsonElement[]>("/api/catalogue/items?colour=Blue&category=Dresses&limit=1000");
            Assert.Contains(shelf!, i => i.GetProperty("imageId").GetString() == imageId);
            Assert.All(shelf!, i => Assert.Equal(("Blue", "Dresses"), (i.GetProperty("colour").GetString(), i.GetProperty("category").GetString())));
            Assert.All(shelf!, i => Assert.False(i.TryGetProperty("source", out _), "a local file path on the public shelf"));
            var everything = await Ids(await shelves.GetAsync("/api/catalogue/items?limit=1000"));
            Assert.Equal(summary.GetProperty("catalogued").GetInt32(), everything.Count);
            // Newest posts first (the default), two a page: the Link header carries the last row's id and post time.
            var newest = new List<JsonElement>();
            for (var next = "/api/catalogue/items?limit=2"; next is not null;)
            {
                using var page = await shelves.GetAsync(next);
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                newest.AddRange((await page.Content.ReadFromJsonAsync<JsonElement[]>())!);
                next = page.Headers.TryGetValues("Link", out var links) ? NextPage(links.Single()) : null;
                Assert.True(next is null || next.Contains("afterPosted="), next);
            }

            Assert.Equal(everything, newest.Select(i => i.GetProperty("imageId").GetString()!));
            // Served under a prefix by a trusted proxy: the next page and the photos are linked under it too.
            using (var proxied = new HttpRequestMessage(HttpMethod.Get, "/api/catalogue/items?limit=2"))
            {
                proxied.Headers.Add("X-Forwarded-Prefix", "/vitrina");
                using var page = await shelves.SendAsync(proxied);
                Assert.StartsWith("/vitrina/api/catalogue/items?", NextPage(page.Headers.GetValues("Link").Single()));
                Assert.All((await page.Content.ReadFromJsonAsync<JsonElement[]>())!, i => Assert.StartsWith("/vitrina/api/catalogue/photo/", i.GetProperty("photo").GetString()));
            }

            var postedAt = newest.Select(i => i.GetProperty("postedAt").GetDateTimeOffset()).ToList();
            Assert.Equal(postedAt.OrderDescending(), postedAt);
            // The same cursor written in another time zone (a hand-made link) pages the same rows.
            var zoned = Uri.EscapeDataString(postedAt[1].ToOffset(TimeSpan.FromHours(2)).ToString("O", CultureInfo.InvariantCulture));
            using (var secondPage = await shelves.GetAsync($"/api/catalogue/items?limit=2&after={newest[1].GetProperty("imageId").GetString()}&afterPosted={zoned}"))
            {
                Assert.Equal(HttpStatusCode.OK, secondPage.StatusCode);
                Assert.Equal(everything.Skip(2).Take(2), await Ids(secondPage));
            }

            Assert.Equal(everything.Order(StringComparer.Ordinal), await Ids(await shelves.GetAsync("/api/catalogue/items?limit=1000&order=id")));
            Assert.Equal(HttpStatusCode.BadRequest, (await shelves.GetAsync("/api/catalogue/items?order=cheapest")).StatusCode);
            using (var unparsable = await shelves.GetAsync($"/api/catalogue/items?after={everything[0]}&afterPosted=yesterday"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, unparsable.StatusCode);
                Assert.Contains("afterPosted", (await unparsable.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
            }

            Assert.Equal(HttpStatusCode.BadRequest, (await shelves.GetAsync($"/api/catalogue/items?after={everything[0]}")).StatusCode);

            // Its thumbnail, kept in the catalogue when it was filed (the demo photos are 288 px); none for a photo that
            // is not on a shelf.
            var labelledOnShelf = shelf!.Single(i => i.GetProperty("imageId").GetString() == imageId);
            using var photo = await shelves.GetAsync(labelledOnShelf.GetProperty("photo").GetString());
            Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
            Assert.Equal("image/jpeg", photo.Content.Headers.ContentType?.MediaType);
            Assert.True(photo.Headers.CacheControl?.Public, "shelf thumbnails may be cached");
            using (var thumbnail = SixLabors.ImageSharp.Image.Load(await photo.Content.ReadAsByteArrayAsync()))
            {
                Assert.Equal(256, Math.Max(thumbnail.Width, thumbnail.Height));
            }

            var queued = (await Ids(await http.GetAsync("/api/moderation?limit=1"))).Single();
            Assert.Equal(HttpStatusCode.NotFound, (await shelves.GetAsync($"/api/catalogue/photo/{queued}")).StatusCode);
            // Moderators see its thumbnail and the whole photo, with the key; the page they work from holds no data and
            // loads without one.
            Assert.Equal(HttpStatusCode.Unauthorized, (await shelves.GetAsync($"/api/moderation/thumbnail/{queued}")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await shelves.GetAsync($"/api/moderation/photo/{queued}")).StatusCode);
            using var queuedThumbnail = await http.GetAsync($"/api/moderation/thumbnail/{queued}");
            Assert.Equal(("image/jpeg", HttpStatusCode.OK), (queuedThumbnail.Content.Headers.ContentType?.MediaType, queuedThumbnail.StatusCode));
            using var queuedPhoto = await http.GetAsync($"/api/moderation/photo/{queued}");
            Assert.Equal(("image/jpeg", HttpStatusCode.OK), (queuedPhoto.Content.Headers.ContentType?.MediaType, queuedPhoto.StatusCode));
            Assert.True((await queuedPhoto.Content.ReadAsByteArrayAsync()).Length > (await queuedThumbnail.Content.ReadAsByteArrayAsync()).Length);
            Assert.Contains("Vitrina moderation", await shelves.GetStringAsync("/moderate"));
            var classes = await http.GetFromJsonAsync<JsonElement>("/api/moderation/classes");
            Assert.Equal(7, classes.GetProperty("colours").GetArrayLength());
            Assert.Contains(classes.GetProperty("categories").EnumerateArray(), c => c.GetString() == "Dresses");
            Assert.Equal(HttpStatusCode.NotFound, (await shelves.GetAsync("/api/catalogue/photo/..%2F..%2Fetc%2Fpasswd")).StatusCode);
        }

        // Retraining waits for enough labels, then fetches every labelled photo again through an image grain.
        var early = await (await http.PostAsync("/api/training/retrain", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("waits for 5", early.GetProperty("outcome").GetString());
        foreach (var queued in after!.Take(5))
        {
            var response = await http.PostAsJsonAsync($"/api/moderation/{queued.GetProperty("imageId").GetString()}", new { colour = "Black", category = "Bags" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var retrained = await http.PostAsync("/api/training/retrain", null);
        Assert.Equal(HttpStatusCode.OK, retrained.StatusCode);
        var report = await retrained.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(6, report.GetProperty("labels").GetInt32());
        Assert.Equal(6, report.GetProperty("photos").GetInt32());
        Assert.Equal(0, report.GetProperty("photosUnavailable").GetInt32());
        Assert.False(string.IsNullOrEmpty(report.GetProperty("outcome").GetString()));

        if (report.GetProperty("outcome").GetString() == "published")
        {
            // The published version names the labels it was trained on: the same labels, nothing to do; a changed label retrains.
            var again = await (await http.PostAsync("/api/training/retrain", null)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.StartsWith("no new moderator labels", again.GetProperty("outcome").GetString());
            await http.PostAsJsonAsync($"/api/moderation/{imageId}", new { colour = "Gray", category = "Dresses" });
            var changed = await (await http.PostAsync("/api/training/retrain", null)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.DoesNotContain("no new moderator labels", changed.GetProperty("outcome").GetString());
        }
        else
        {
            // Six labels may hold out too few, or heads that do no better: either is said, and the serving model stays.
            Assert.Matches("too few labelled photos|kept the serving model", report.GetProperty("outcome").GetString());
        }

        // Many answers in one call: each applied or reported on its own.
        var excludedBefore = (await http.GetFromJsonAsync<JsonElement>("/api/catalogue/summary")).GetProperty("excluded").GetInt32();
        var toExclude = (await Ids(await http.GetAsync("/api/moderation?limit=2"))).ToArray();
        var bulk = await http.PostAsJsonAsync("/api/moderation", new object[]
        {
            new { imageId = toExclude[0], outside = true },
            new { imageId = "no-such/image", outside = true },
            new { imageId = toExclude[1], colour = "Purple" },
            new { colour = "Blue" },
            null!,
            new { imageId = toExclude[1], outside = true },
        });
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        var outcome = await bulk.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0, 2), (outcome.GetProperty("labelled").GetInt32(), outcome.GetProperty("excluded").GetInt32()));
        var bulkProblems = outcome.GetProperty("problems").EnumerateArray().Select(p => $"{p.GetProperty("imageId")}: {p.GetProperty("error")}").ToList();
        Assert.Equal(4, bulkProblems.Count);
        Assert.Contains(bulkProblems, p => p.StartsWith("no-such/image: No image", StringComparison.Ordinal));
        Assert.Contains(bulkProblems, p => p.Contains("Purple"));
        Assert.Contains(bulkProblems, p => p.Contains("imageId"));
        Assert.Equal(excludedBefore + 2, (await http.GetFromJsonAsync<JsonElement>("/api/catalogue/summary")).GetProperty("excluded").GetInt32());
        Assert.DoesNotContain(await Ids(await http.GetAsync("/api/moderation?limit=1000")), toExclude.Contains);
        var tooMany = await http.PostAsJsonAsync("/api/moderation", Enumerable.Range(0, 1001).Select(i => new { imageId = $"x/{i}", outside = true }));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
    }

    [Fact]
    public async Task Without_a_configured_key_the_moderation_api_is_off()
    {
        using var folder = new TempFolder();
        await using var silo = SiloProcess.Start(1, folder.Path, Settings(withKey: false), FreePorts.Next());
        await silo.WaitReady(TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = new Uri(silo.HttpUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "");

        var response = await http.PostAsJsonAsync("/api/moderation/any", new { colour = "Blue" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Vitrina:Moderation:ApiKey", await response.Content.ReadAsStringAsync());

        // No trusted proxy configured: a caller's forwarded prefix changes no link the silo hands out. Asked once the
        // demo shops have two photos on the shelf: an empty shelf has no link to forge.
        for (var waited = 0; (await http.GetFromJsonAsync<JsonElement[]>("/api/catalogue/items?limit=2"))!.Length < 2; waited++)
        {
            Assert.True(waited < 240, "the demo shops filed no two photos in 2 minutes");
            await Task.Delay(500);
        }

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/catalogue/items?limit=1");
        forged.Headers.Add("X-Forwarded-Prefix", "/evil");
        using var shelf = await http.SendAsync(forged);
        Assert.StartsWith("/api/catalogue/items?", NextPage(shelf.Headers.GetValues("Link").Single()));
        Assert.All((await shelf.Content.ReadFromJsonAsync<JsonElement[]>())!, i => Assert.StartsWith("/api/catalogue/photo/", i.GetProperty("photo").GetString()));
    }

    [Fact]
    public async Task A_failing_catalogue_database_is_a_clear_retryable_answer_and_the_silo_serves_again_once_it_is_back()
    {
        await using var database = await TestClusterDatabase.Create();
        using var folder = new TempFolder();
        await using var cluster = new ProcessCluster(database.ConnectionString, database.Schema, folder.Path,
            new Dictionary<string, string> { ["Vitrina:Moderation:ApiKey"] = Key });
        var silo = await cluster.StartSilo(1);
        using var http = new HttpClient { BaseAddress = new Uri(silo.HttpUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/moderation")).StatusCode);

        // A real database failure: the catalogue's table is gone from under the silo.
        await database.Execute("ALTER TABLE items RENAME TO items_away");
        foreach (var path in new[] { "/api/moderation", "/api/catalogue/summary" })
        {
            var failed = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.NotNull(failed.Headers.RetryAfter);
            var body = await failed.Content.ReadFromJsonAsync<JsonElement>();
            Assert.StartsWith("The catalogue database failed", body.GetProperty("error").GetString());
            Assert.DoesNotContain("items", body.GetProperty("error").GetString());
            // The database's own words are in the log, under the request id the answer gives.
            var requestId = body.GetProperty("requestId").GetString()!;
            bool Logged() => silo.Tail(400).Split('\n').Any(l => l.Contains(requestId) && l.Contains("42P01: relation"));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!Logged() && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.True(Logged(), $"no log line with request id {requestId} and the database's error: {silo.Tail()}");
        }

        Assert.True(silo.Running);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        await database.Execute("ALTER TABLE items_away RENAME TO items");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/moderation")).StatusCode);
    }

    private static async Task<List<string>> Ids(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = await response.Content.ReadFromJsonAsync<JsonElement[]>();
        return items!.Select(i => i.GetProperty("imageId").GetString()!).ToList();
    }

    /// <summary>The target of <c>&lt;...&gt;; rel="next"</c>.</summary>
    private static string NextPage(string link)
    {
        Assert.EndsWith("; rel=\"next\"", link);
        return link[1..link.IndexOf('>')];
    }

    private static async Task WaitForAllFiled(HttpClient http, SiloProcess silo, int photos)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var summary = await http.GetFromJsonAsync<JsonElement>("/api/catalogue/summary");
            var filed = new[] { "catalogued", "moderation", "failed", "excluded" }.Sum(k => summary.GetProperty(k).GetInt32());
            if (filed >= photos)
            {
                return;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"fewer than {photos} photos were filed: {silo.Tail()}");
    }

    private static async Task<JsonElement[]> WaitForQueue(HttpClient http, SiloProcess silo, int photos)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var queue = await http.GetFromJsonAsync<JsonElement[]>("/api/moderation");
            if (queue?.Length >= photos)
            {
                return queue;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"fewer than {photos} photos reached the moderation queue: {silo.Tail()}");
    }
}
