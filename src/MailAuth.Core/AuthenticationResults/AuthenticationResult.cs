using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Common;

namespace MailAuth.AuthenticationResults;

/// <summary>
/// One <c>resinfo</c> of an Authentication-Results header: the method, its result, an optional reason,
/// the properties that identify what was checked, and the comments the receiver wrote (RFC 8601 §2.2, §2.7).
/// </summary>
public sealed class AuthenticationResult
{
    public AuthenticationResult(
        string method,
        string result,
        IEnumerable<AuthenticationResultProperty> properties = null,
        string reason = null,
        IEnumerable<string> comments = null,
        int? methodVersion = null)
    {
        if (string.IsNullOrEmpty(method)) throw new ArgumentException("A result needs a method.", nameof(method));
        if (string.IsNullOrEmpty(result)) throw new ArgumentException("A result needs a result keyword.", nameof(result));
        Method = method.ToLowerInvariant();
        Result = result.ToLowerInvariant();
        MethodVersion = methodVersion;
        Reason = reason;
        Properties = new AuthenticationResultPropertyCollection(properties);
        Comments = ReadOnlyArray.From(comments);
    }

    /// <summary>The method, lower-case: <c>spf</c>, <c>dkim</c>, <c>dmarc</c>, <c>arc</c>, <c>auth</c>, <c>iprev</c>... (RFC 8601 §2.7).</summary>
    public string Method { get; }

    /// <summary>The <c>method/version</c> number when one was written, else null (RFC 8601 §2.2).</summary>
    public int? MethodVersion { get; }

    /// <summary>The result keyword, lower-case: <c>pass</c>, <c>fail</c>, <c>none</c>, <c>softfail</c>... (RFC 8601 §2.7).</summary>
    public string Result { get; }

    /// <summary>The <c>reason=</c> value, unquoted, or null (RFC 8601 §2.2).</summary>
    public string Reason { get; }

    /// <summary>The <c>ptype.property=value</c> items in header order.</summary>
    public AuthenticationResultPropertyCollection Properties { get; }

    /// <summary>The comments that belong to the result itself (not to a property), without parentheses.</summary>
    public IReadOnlyList<string> Comments { get; }

    /// <summary>The comments joined by "; ", or null when there are none.</summary>
    public string Comment => Comments.Count == 0 ? null : string.Join("; ", Comments);

    /// <summary>The method/result part and properties, as written in a header (comments left out).</summary>
    public override string ToString()
    {
        var text = Method + (MethodVersion.HasValue ? "/" + MethodVersion.Value : string.Empty) + "=" + Result;
        if (Reason != null) text += " reason=" + AuthenticationResultsWriter.QuoteIfNeeded(Reason, alwaysQuote: true);
        foreach (var p in Properties) text += " " + p.Key + "=" + AuthenticationResultsWriter.FormatPropertyValue(p.Value);
        return text;
    }
}
