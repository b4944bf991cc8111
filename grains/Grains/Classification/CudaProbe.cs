namespace Vitrina.Grains.Classification;

/// <summary>Whether this process can run TorchSharp on CUDA (the CUDA natives are present and a device answers).</summary>
public static class CudaProbe
{
    public static bool IsAvailable(out string? error)
    {
        try
        {
            error = null;
            return TorchSharp.torch.cuda.is_available();
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or InvalidOperationException)
        {
            error = e.Message;
            return false;
        }
    }
}
