using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Dmarc;

/// <summary>
/// Whether an external report destination agreed to receive a domain's reports (RFC 9990 §3,
/// RFC 9989 §4.7): a TXT record starting with v=DMARC1 at <c>&lt;domain&gt;._report._dmarc.&lt;destination&gt;</c>.
/// </summary>
public sealed class DmarcReportAuthorization
{
    internal DmarcReportAuthorization(string tag, DmarcReportUri uri, string queryName, RecordStatus status, DnsErrorKind errorKind)
    {
        Tag = tag;
        Uri = uri?.Uri;
        DestinationDomain = uri?.Domain;
        QueryName = queryName;
        Status = status;
        ErrorKind = errorKind;
    }

    /// <summary>rua or ruf.</summary>
    public string Tag { get; }

    public string Uri { get; }

    /// <summary>The domain of the destination mailbox.</summary>
    public string DestinationDomain { get; }

    /// <summary>The name queried for the authorization record.</summary>
    public string QueryName { get; }

    /// <summary>Found: authorized. NotFound: receivers will not send reports there. Error: could not find out.</summary>
    public RecordStatus Status { get; }

    public DnsErrorKind ErrorKind { get; }

    public override string ToString() => $"{Uri}: {Status}";
}
