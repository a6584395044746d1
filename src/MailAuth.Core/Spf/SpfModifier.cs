using System;

namespace MailAuth.Spf;

/// <summary>
/// A modifier (RFC 7208 §6): <c>redirect=</c>, <c>exp=</c>, or an unknown one (which receivers ignore,
/// §6 last paragraph, as long as its value is a valid macro-string).
/// </summary>
public sealed class SpfModifier : SpfTerm
{
    internal SpfModifier(string text, string name, string value)
        : base(text, name.ToLowerInvariant(), value)
    {
    }

    public override bool IsMechanism => false;
    public override SpfQualifier? Qualifier => null;

    /// <summary>RFC 7208 §6.1.</summary>
    public bool IsRedirect => string.Equals(Name, "redirect", StringComparison.Ordinal);

    /// <summary>RFC 7208 §6.2.</summary>
    public bool IsExplanation => string.Equals(Name, "exp", StringComparison.Ordinal);

    /// <summary>Neither redirect nor exp.</summary>
    public bool IsUnknown => !IsRedirect && !IsExplanation;

    public override bool CountsTowardLookupLimit => IsRedirect;
}
