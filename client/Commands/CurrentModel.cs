using Vitrina.Training.Inference;
using Vitrina.Training.Store;

namespace Vitrina.Client.Commands;

/// <summary>The current model of a store for the offline commands, or a one-line error saying why it cannot be served.</summary>
public static class CurrentModel
{
    public static CatalogueClassifier? LoadOrExplain(string store)
    {
        try
        {
            return CatalogueClassifier.LoadCurrent(new ModelStore(store, ModelStore.ShippedRoot));
        }
        catch (ModelUnavailableException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return null;
        }
    }
}
