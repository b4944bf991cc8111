namespace Vitrina.Training.Data;

/// <summary>A dataset that cannot be used as given; the message names the rows at fault.</summary>
public sealed class DatasetException(string message) : Exception(message);
