namespace Vitrina.Instagram;

/// <summary>
/// The budget's answer to a permit request: granted after <see cref="Wait"/>, or refused, in which case
/// <see cref="Wait"/> says when asking again has a chance (the backlog of permits already handed out).
/// </summary>
[GenerateSerializer, Immutable, Alias("Vitrina.GraphPermit")]
public sealed record GraphPermit([property: Id(0)] bool Granted, [property: Id(1)] TimeSpan Wait);
