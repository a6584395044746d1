using System;

namespace MailAuth.Dmarc;

/// <summary>
/// One destination of rua= or ruf= (RFC 9989 §4.5, §4.7): a URI, for mailto: with its address and domain.
/// The legacy size limit suffix (<c>!10m</c>, RFC 7489 §6.2) is kept apart.
/// </summary>
public sealed class DmarcReportUri
{
    internal DmarcReportUri(string uri, string scheme, string address, string domain, string sizeLimit, bool isValid)
    {
        Uri = uri;
        Scheme = scheme;
        Address = address;
        Domain = domain;
        SizeLimit = sizeLimit;
        IsValid = isValid;
    }

    /// <summary>The URI as written, without a size limit.</summary>
    public string Uri { get; }

    /// <summary>The scheme, lower-case (<c>mailto</c>, <c>https</c>, ...).</summary>
    public string Scheme { get; }

    /// <summary>For mailto: the mailbox, e.g. <c>dmarc@example.com</c>.</summary>
    public string Address { get; }

    /// <summary>For mailto: the mailbox's domain (A-label, lower-case).</summary>
    public string Domain { get; }

    /// <summary>The legacy <c>!size</c> suffix, if any.</summary>
    public string SizeLimit { get; }

    /// <summary>The URI is syntactically valid (for mailto: a usable address).</summary>
    public bool IsValid { get; }

    public bool IsMailto => string.Equals(Scheme, "mailto", StringComparison.Ordinal);

    public override string ToString() => Uri;
}
