namespace Vitrina.FakeGraphApi;

/// <summary>A fault the fake can serve instead of a proper answer.</summary>
public enum FakeFailure
{
    /// <summary>HTTP 500 with the Graph API's transient error JSON (code 2, is_transient).</summary>
    ServerError,

    /// <summary>HTTP 502 with an HTML page, as a proxy in front of the API would send.</summary>
    HtmlPage,

    /// <summary>HTTP 200 with JSON cut off half-way.</summary>
    MalformedJson,

    /// <summary>The proper answer, after <see cref="FakeGraphOptions.SlowDelay"/>.</summary>
    Slow,

    /// <summary>HTTP 403, code 10: the token lacks a permission the call needs (the app was not granted it).</summary>
    PermissionDenied,
}
