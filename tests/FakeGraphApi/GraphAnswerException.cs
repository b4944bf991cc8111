using System.Text.Json.Nodes;

namespace Vitrina.FakeGraphApi;

/// <summary>Ends a request with a Graph API error answer from anywhere in the handlers.</summary>
internal sealed class GraphAnswerException(int status, JsonObject body) : Exception(body.ToJsonString())
{
    public int Status { get; } = status;

    public JsonObject Body { get; } = body;
}
