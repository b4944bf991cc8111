using System.Collections.Concurrent;
using TorchSharp;
using Vitrina.Training.Models;
using static TorchSharp.torch;

namespace Vitrina.Training.Store;

/// <summary>Builds the module a manifest names and loads its weights.</summary>
public static class ModelLoader
{
    private static readonly ConcurrentDictionary<(ScalarType, DeviceType, int), Lazy<ResNet18Backbone>> Backbones = new();

    /// <summary>
    /// The ImageNet backbone, loaded once per process, precision and device (the CPU unless said), shared by every model
    /// version that uses it there. Never moved once loaded: a model on another device takes that device's own.
    /// </summary>
    public static ResNet18Backbone SharedBackbone(ScalarType precision = ScalarType.Float32, Device? device = null)
    {
        var on = device ?? CPU;
        return Backbones.GetOrAdd((precision, on.type, on.index), _ => new Lazy<ResNet18Backbone>(() => LoadForProcess(precision, on))).Value;
    }

    private static ResNet18Backbone LoadForProcess(ScalarType precision, Device device)
    {
        var backbone = ResNet18Backbone.Load(precision: precision);
        if (device.type != DeviceType.CPU)
        {
            backbone.to(device);
        }

        // It lives as long as the process: never owned by the dispose scope of whichever caller happened to load it.
        foreach (var tensor in backbone.parameters().Concat(backbone.buffers()))
        {
            tensor.DetachFromDisposeScope();
        }

        return backbone;
    }

    /// <summary>The architectures this build can serve, each with how to build its module.</summary>
    private static readonly Dictionary<string, Func<ModelManifest, ScalarType, ColourCategoryModel>> Factories = new()
    {
        [PaperModels.Name] = (m, precision) => new PaperModels(m.ColourClasses.Count, m.CategoryClasses.Count, precision),
        [GarmentModel.Name] = (m, precision) => new GarmentModel(SharedBackbone(precision), m.ColourClasses.Count, m.CategoryClasses.Count),
    };

    public static bool Supports(ModelManifest manifest) => Factories.ContainsKey(manifest.Architecture);

    /// <param name="precision">
    /// What the convolutions compute in: float32; float16 (inference on CUDA); or bfloat16 (inference on CPUs with
    /// bfloat16 instructions, AVX-512 BF16 or AMX). Heads stay float32.
    /// </param>
    public static ColourCategoryModel Create(ModelManifest manifest, ScalarType precision = ScalarType.Float32)
    {
        if (precision is not (ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16))
        {
            throw new NotSupportedException($"Precision {precision} is not supported; use float32, float16 or bfloat16.");
        }

        return Factories.TryGetValue(manifest.Architecture, out var create)
            ? create(manifest, precision)
            : throw new ModelUnavailableException(
                $"Model {manifest.Version} has architecture '{manifest.Architecture}', which this build of Vitrina cannot serve "
                + $"(it serves {string.Join(", ", Factories.Keys)}). Retrain it with `vitrina train`, or choose another version: "
                + "`vitrina models list`, then `vitrina models use <version>`.");
    }

    public static ColourCategoryModel Load(ModelStore store, ModelManifest manifest, ScalarType precision = ScalarType.Float32)
    {
        var model = Create(manifest, precision);
        try
        {
            model.LoadWeights(store.FolderOf(manifest.Version));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            model.Dispose();
            throw new ModelUnavailableException($"Model {manifest.Version} could not be loaded from {store.FolderOf(manifest.Version)}: {e.Message}", e);
        }

        model.eval();
        return model;
    }
}
