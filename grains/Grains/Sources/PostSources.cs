namespace Vitrina.Grains.Sources;

/// <summary>The registered post sources, by <see cref="AccountSource.Kind"/>.</summary>
public sealed class PostSources(IEnumerable<IPostSource> sources)
{
    private readonly Dictionary<string, IPostSource> byKind = sources.ToDictionary(s => s.Kind, StringComparer.OrdinalIgnoreCase);

    public IPostSource For(AccountSource source) =>
        byKind.TryGetValue(source.Kind, out var s)
            ? s
            : throw new PostSourceUnavailableException($"no post source of kind '{source.Kind}' (known: {string.Join(", ", byKind.Keys)})");
}
