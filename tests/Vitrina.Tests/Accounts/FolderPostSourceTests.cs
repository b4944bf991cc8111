using Vitrina.Accounts;
using Vitrina.Grains.Sources;
using Vitrina.Tests.Support;

namespace Vitrina.Tests.Accounts;

public sealed class FolderPostSourceTests
{
    [Fact]
    public async Task Files_that_share_a_name_are_one_post_whose_images_keep_ids_of_their_own()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.Combine("solo.jpg"), [1]);
        File.WriteAllBytes(folder.Combine("pair.jpg"), [2]);
        File.WriteAllBytes(folder.Combine("pair.png"), [3]);
        File.WriteAllText(folder.Combine("pair.json"), """{"caption": "two angles"}""");
        File.SetLastWriteTimeUtc(folder.Combine("solo.jpg"), new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(folder.Combine("pair.jpg"), new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(folder.Combine("pair.png"), new DateTime(2026, 11, 3, 0, 0, 0, DateTimeKind.Utc));

        var posts = new List<SourcePost>();
        await foreach (var post in new FolderPostSource().ReadPosts("shop", new AccountSource(AccountSource.Folder, folder.Path), CancellationToken.None))
        {
            posts.Add(post);
        }

        Assert.Equal(["pair", "solo"], posts.Select(p => p.PostId)); // newest first, the pair at its newest file's place
        var pair = posts[0];
        Assert.Equal(["pair", "pair.png"], pair.Images.Select(i => i.MediaId)); // the first keeps the id it had alone
        Assert.Equal(["pair.jpg", "pair.png"], pair.Images.Select(i => Path.GetFileName(i.Location.LocalPath)));
        Assert.Equal("two angles", pair.Caption);
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero), pair.PostedAt);
        Assert.Equal(["solo"], posts[1].Images.Select(i => i.MediaId));
    }
}
