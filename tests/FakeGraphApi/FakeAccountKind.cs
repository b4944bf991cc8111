namespace Vitrina.FakeGraphApi;

/// <summary>Business discovery can read only business and creator accounts; the others answer as not found.</summary>
public enum FakeAccountKind
{
    Business,
    Personal,
    Private,
}
