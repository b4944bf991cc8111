using System.Text;

namespace Vitrina.Training.Models;

/// <summary>
/// The parts of an ONNX model that a feed-forward CNN needs: its nodes in order and its float initializers.
/// Read straight from the protobuf wire format (ModelProto.graph = 7; GraphProto.node = 1, initializer = 5), so the
/// backbone needs no ONNX runtime.
/// </summary>
public sealed class OnnxGraph
{
    public required IReadOnlyList<OnnxNode> Nodes { get; init; }
    public required IReadOnlyDictionary<string, OnnxTensor> Initializers { get; init; }
    public required string Input { get; init; }

    public static OnnxGraph Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"ONNX model not found at {path}; it is restored from the Microsoft.ML.DnnImageFeaturizer.ResNet18 package at build time.", path);
        }

        var model = File.ReadAllBytes(path);
        var graph = ProtoReader.Fields(model).First(f => f.Number == 7).Bytes;
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxTensor>();
        foreach (var field in ProtoReader.Fields(graph))
        {
            if (field.Number == 1)
            {
                nodes.Add(ReadNode(field.Bytes));
            }
            else if (field.Number == 5)
            {
                var tensor = ReadTensor(field.Bytes);
                initializers[tensor.Name] = tensor;
            }
        }

        var input = nodes[0].Inputs[0];
        return new OnnxGraph { Nodes = nodes, Initializers = initializers, Input = input };
    }

    private static OnnxNode ReadNode(ReadOnlyMemory<byte> bytes)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, OnnxAttribute>();
        string name = "", op = "";
        foreach (var f in ProtoReader.Fields(bytes))
        {
            switch (f.Number)
            {
                case 1: inputs.Add(f.Text); break;
                case 2: outputs.Add(f.Text); break;
                case 3: name = f.Text; break;
                case 4: op = f.Text; break;
                case 5:
                    var attribute = ReadAttribute(f.Bytes);
                    attributes[attribute.Name] = attribute;
                    break;
            }
        }

        return new OnnxNode(op, name, inputs, outputs, attributes);
    }

    private static OnnxAttribute ReadAttribute(ReadOnlyMemory<byte> bytes)
    {
        string name = "";
        float? f32 = null;
        long? i64 = null;
        var ints = new List<long>();
        foreach (var f in ProtoReader.Fields(bytes))
        {
            switch (f.Number)
            {
                case 1: name = f.Text; break;
                case 2: f32 = BitConverter.ToSingle(f.Bytes.Span); break;
                case 3: i64 = (long)f.Varint; break;
                case 8:
                    if (f.WireType == 2) ints.AddRange(ProtoReader.PackedVarints(f.Bytes).Select(v => (long)v));
                    else ints.Add((long)f.Varint);
                    break;
            }
        }

        return new OnnxAttribute(name, f32, i64, ints);
    }

    private static OnnxTensor ReadTensor(ReadOnlyMemory<byte> bytes)
    {
        var dims = new List<long>();
        string name = "";
        float[]? data = null;
        long dataType = 0;
        foreach (var f in ProtoReader.Fields(bytes))
        {
            switch (f.Number)
            {
                case 1:
                    if (f.WireType == 2) dims.AddRange(ProtoReader.PackedVarints(f.Bytes).Select(v => (long)v));
                    else dims.Add((long)f.Varint);
                    break;
                case 2: dataType = (long)f.Varint; break;
                case 4:
                case 9: data = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(f.Bytes.Span).ToArray(); break;
                case 8: name = f.Text; break;
            }
        }

        if (dataType != 1)
        {
            throw new InvalidDataException($"ONNX initializer {name} has data type {dataType}; only float32 (1) is supported.");
        }

        return new OnnxTensor(name, dims.ToArray(), data ?? []);
    }
}

public sealed record OnnxNode(
    string Op, string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, OnnxAttribute> Attributes)
{
    public IReadOnlyList<long> Ints(string attribute) =>
        Attributes.TryGetValue(attribute, out var a) ? a.Ints : [];

    public float Float(string attribute, float fallback) =>
        Attributes.TryGetValue(attribute, out var a) && a.Float is { } f ? f : fallback;
}

public sealed record OnnxAttribute(string Name, float? Float, long? Int, IReadOnlyList<long> Ints);

public sealed record OnnxTensor(string Name, long[] Dims, float[] Data);

/// <summary>A minimal protobuf wire-format reader: enough for ONNX's model, graph, node and tensor messages.</summary>
internal static class ProtoReader
{
    public readonly record struct Field(int Number, int WireType, ulong Varint, ReadOnlyMemory<byte> Bytes)
    {
        public string Text => Encoding.UTF8.GetString(Bytes.Span);
    }

    public static IEnumerable<Field> Fields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var key = ReadVarint(message.Span, ref position);
            var number = (int)(key >> 3);
            var wire = (int)(key & 7);
            switch (wire)
            {
                case 0:
                    yield return new Field(number, wire, ReadVarint(message.Span, ref position), default);
                    break;
                case 1:
                    yield return new Field(number, wire, 0, message.Slice(position, 8));
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message.Span, ref position);
                    yield return new Field(number, wire, 0, message.Slice(position, length));
                    position += length;
                    break;
                case 5:
                    yield return new Field(number, wire, 0, message.Slice(position, 4));
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {wire} at byte {position}.");
            }
        }
    }

    public static IEnumerable<ulong> PackedVarints(ReadOnlyMemory<byte> bytes)
    {
        var position = 0;
        var values = new List<ulong>();
        while (position < bytes.Length)
        {
            values.Add(ReadVarint(bytes.Span, ref position));
        }

        return values;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = span[position++];
            result |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }
    }
}
