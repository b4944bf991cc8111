using Vitrina.Grains.Accounts;

namespace Vitrina.Tests.Accounts;

public sealed class PostWindowTests
{
    [Fact]
    public void A_window_opens_from_one_post_by_one_per_finished_post_up_to_its_maximum()
    {
        var window = new PostWindow(8);
        Assert.Equal(1, window.Size);
        window.Finished();
        Assert.Equal(2, window.Size);
        window.Finished();
        window.Finished();
        Assert.Equal(4, window.Size); // doubled with each round: one post, then two
        for (var i = 0; i < 100; i++)
        {
            window.Finished();
        }

        Assert.Equal(8, window.Size);
    }

    [Fact]
    public void Posts_refused_together_narrow_the_window_once()
    {
        var window = Open(16);
        var startedIn = window.Generation;
        for (var i = 0; i < 10; i++)
        {
            window.HandedBack(startedIn);
        }

        Assert.Equal(8, window.Size);

        // A post started after the narrowing, refused in turn, narrows it again.
        window.HandedBack(window.Generation);
        Assert.Equal(4, window.Size);
    }

    [Fact]
    public void After_a_refusal_the_window_never_closes_and_grows_by_one_per_window_of_finished_posts()
    {
        var window = Open(8);
        for (var i = 0; i < 10; i++)
        {
            window.HandedBack(window.Generation);
        }

        Assert.Equal(1, window.Size);
        window.Finished();
        Assert.Equal(2, window.Size);
        window.Finished();
        window.Finished();
        Assert.Equal(2, window.Size); // 2.5, then 2.9: a window of two grows by one after about two posts
        window.Finished();
        Assert.Equal(3, window.Size);
        for (var i = 0; i < 100; i++)
        {
            window.Finished();
        }

        Assert.Equal(8, window.Size);
    }

    private static PostWindow Open(int max)
    {
        var window = new PostWindow(max);
        while (window.Size < max)
        {
            window.Finished();
        }

        return window;
    }
}
