using System;

namespace MailAuth.AuthenticationResults;

/// <summary>
/// One <c>propspec</c> of an Authentication-Results result: <c>ptype.property=pvalue</c>, such as
/// <c>smtp.mailfrom=user@example.com</c> or <c>header.d=example.com</c> (RFC 8601 §2.2, §2.3).
/// For a Received-SPF key-value pair (RFC 7208 §9.1) <see cref="Type"/> is empty and <see cref="Name"/> is the key.
/// </summary>
public sealed class AuthenticationResultProperty
{
    public AuthenticationResultProperty(string type, string name, string value, string comment = null)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("A property needs a name.", nameof(name));
        Type = (type ?? string.Empty).ToLowerInvariant();
        Name = name.ToLowerInvariant();
        Value = value ?? string.Empty;
        Comment = comment;
    }

    /// <summary>The ptype: <c>smtp</c>, <c>header</c>, <c>body</c> or <c>policy</c> (RFC 8601 §2.3), lower-case.</summary>
    public string Type { get; }

    /// <summary>The property, lower-case: <c>mailfrom</c>, <c>helo</c>, <c>d</c>, <c>i</c>, <c>from</c>...</summary>
    public string Name { get; }

    /// <summary><c>ptype.property</c>, e.g. <c>smtp.mailfrom</c>; the bare key for a Received-SPF pair.</summary>
    public string Key => Type.Length == 0 ? Name : Type + "." + Name;

    /// <summary>The pvalue, unquoted.</summary>
    public string Value { get; }

    /// <summary>The comment that followed the value, without its parentheses, or null.</summary>
    public string Comment { get; }

    public override string ToString() => Key + "=" + Value;
}
