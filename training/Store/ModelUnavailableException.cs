namespace Vitrina.Training.Store;

/// <summary>
/// A model version that cannot be served: its architecture is unknown to this build (trained by another Vitrina), its
/// weights do not load, or the store holds no model at all. The message names the version and what to do.
/// </summary>
public sealed class ModelUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
