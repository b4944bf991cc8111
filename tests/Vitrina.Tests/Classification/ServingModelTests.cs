using Vitrina.Grains.Classification;
using Vitrina.Tests.Instagram;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Classification;

public sealed class ServingModelTests
{
    [Fact]
    public void A_model_the_GPU_refuses_at_start_up_is_served_from_the_CPU_in_float32_and_said_loudly()
    {
        using var folder = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(folder.Path), "v1");
        using var logs = new CapturedLogs();
        // The probe says CUDA is there, but this machine's libtorch has none: the device fails when the model asks for
        // it, as a GPU with a broken driver does. (Weights a GPU refuses, out of memory, take the same fallback.)
        using var serving = new ServingModel(
            new ClassifierOptions { ModelStore = folder.Path, Device = "cuda" }, logs.CreateLogger("serving"), () => (true, null));

        serving.LoadNow();

        Assert.True(serving.Loaded, string.Join("\n", logs.Lines));
        Assert.Equal(TorchSharp.DeviceType.CPU, serving.Current.Device.type);
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, serving.Current.Precision); // not the float16 chosen for the GPU
        Assert.Equal("v1", serving.Current.Manifest.Version);
        Assert.Contains(logs.Lines, l => l.Contains("Critical") && l.Contains("falls back to CPU"));
    }
}
