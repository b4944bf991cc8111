namespace Vitrina.Instagram;

/// <summary>
/// The budget's answer to a permit request: granted after <see cref="Wait"/>, or refused, in which case
/// <see cref="Wait"/> says when asking again has a chance (the backlog of permits already handed out). <see cref="At"/>
/// is the granted call's slot, which a caller that stops waiting gives back (<see cref="IGraphBudgetGrain.Return"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("Vitrina.GraphPermit")]
public sealed record GraphPermit([property: Id(0)] bool Granted, [property: Id(1)] TimeSpan Wait, [property: Id(2)] DateTimeOffset At = default);
