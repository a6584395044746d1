using MailAuth.Dns;

namespace MailAuth.Dmarc;

/// <summary>
/// Whether an authenticated identifier (the SPF MAIL FROM domain or a DKIM d= domain) is aligned with the
/// RFC5322.From domain (RFC 9989 §4.4.1, §4.4.2): identical in strict mode, the same Organizational Domain in relaxed mode.
/// </summary>
public sealed class AlignmentResult
{
    internal AlignmentResult(AuthenticatedIdentifierKind kind, bool aligned, string headerFromDomain, string otherDomain,
        string headerFromOrganizationalDomain, string otherOrganizationalDomain, AlignmentMode mode, DmarcDiscoveryMode discoveryMode,
        bool isError, DnsErrorKind errorKind, string reason)
    {
        IdentifierKind = kind;
        Aligned = aligned;
        HeaderFromDomain = headerFromDomain;
        AuthenticatedDomain = otherDomain;
        HeaderFromOrganizationalDomain = headerFromOrganizationalDomain;
        AuthenticatedOrganizationalDomain = otherOrganizationalDomain;
        Mode = mode;
        DiscoveryMode = discoveryMode;
        IsError = isError;
        ErrorKind = errorKind;
        Reason = reason;
    }

    /// <summary>Spf (MAIL FROM) or Dkim (d=).</summary>
    public AuthenticatedIdentifierKind IdentifierKind { get; }

    /// <summary>The identifiers are aligned. False also when <see cref="IsError"/> (alignment could not be established).</summary>
    public bool Aligned { get; }

    /// <summary>The RFC5322.From domain.</summary>
    public string HeaderFromDomain { get; }

    /// <summary>The other identifier: MAIL FROM domain or DKIM signing domain.</summary>
    public string AuthenticatedDomain { get; }

    /// <summary>The RFC5321.MailFrom domain, for SPF alignment.</summary>
    public string MailFromDomain => IdentifierKind == AuthenticatedIdentifierKind.Spf ? AuthenticatedDomain : null;

    /// <summary>The DKIM d= domain, for DKIM alignment.</summary>
    public string SigningDomain => IdentifierKind == AuthenticatedIdentifierKind.Dkim ? AuthenticatedDomain : null;

    public string HeaderFromOrganizationalDomain { get; }

    /// <summary>
    /// The Organizational Domain of <see cref="AuthenticatedDomain"/>; null when it was not looked up because the two domains
    /// have no parent domain in common and so cannot share one (tree-walk mode, RFC 9989 §4.10.2).
    /// </summary>
    public string AuthenticatedOrganizationalDomain { get; }

    /// <summary>Organizational Domain of the MAIL FROM domain (SPF).</summary>
    public string MailFromOrganizationalDomain => IdentifierKind == AuthenticatedIdentifierKind.Spf ? AuthenticatedOrganizationalDomain : null;

    /// <summary>Organizational Domain of the signing domain (DKIM).</summary>
    public string SigningOrganizationalDomain => IdentifierKind == AuthenticatedIdentifierKind.Dkim ? AuthenticatedOrganizationalDomain : null;

    public AlignmentMode Mode { get; }

    /// <summary>How the Organizational Domains were found.</summary>
    public DmarcDiscoveryMode DiscoveryMode { get; }

    /// <summary>A DNS failure kept the Organizational Domains from being known (relaxed mode only).</summary>
    public bool IsError { get; }

    public DnsErrorKind ErrorKind { get; }

    /// <summary>Why the identifiers are or are not aligned.</summary>
    public string Reason { get; }

    public override string ToString() => $"{HeaderFromDomain} ~ {AuthenticatedDomain}: {(Aligned ? "aligned" : "not aligned")} ({Mode})";
}
