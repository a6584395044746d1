using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Dmarc;

/// <summary>
/// One DMARC TXT query at <c>_dmarc.&lt;domain&gt;</c> and what RFC 9989 §4.10 steps 2 and 6 make of it:
/// records not starting with v=DMARC1 are discarded, and several DMARC records are all discarded.
/// </summary>
public sealed class DmarcLookup
{
    internal DmarcLookup(string domain, RecordStatus status, DmarcPolicyRecord record, int dmarcRecordCount, DnsAnswer answer)
    {
        Domain = domain;
        QueryName = "_dmarc." + domain;
        Status = status;
        Record = record;
        DmarcRecordCount = dmarcRecordCount;
        ErrorKind = answer?.ErrorKind ?? DnsErrorKind.None;
        ErrorDescription = answer != null && answer.IsError ? answer.Describe() : null;
    }

    /// <summary>The domain whose record was asked for.</summary>
    public string Domain { get; }

    /// <summary>The name queried: <c>_dmarc.&lt;domain&gt;</c>.</summary>
    public string QueryName { get; }

    /// <summary>Found (exactly one DMARC record), NotFound (none, or several, which count as none) or Error.</summary>
    public RecordStatus Status { get; }

    /// <summary>The record, when exactly one was found.</summary>
    public DmarcPolicyRecord Record { get; }

    /// <summary>How many v=DMARC1 records the name has; more than one means none is used.</summary>
    public int DmarcRecordCount { get; }

    public DnsErrorKind ErrorKind { get; }

    internal string ErrorDescription { get; }

    internal static async Task<DmarcLookup> QueryAsync(IDnsResolver resolver, string domain, CancellationToken cancellationToken)
    {
        var answer = await resolver.QueryAsync("_dmarc." + domain, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        if (answer.IsError) return new DmarcLookup(domain, RecordStatus.Error, null, 0, answer);
        var dmarc = TxtRecordSelector.Select(answer, DmarcRecordParser.IsDmarcRecord);
        if (dmarc.Count == 1) return new DmarcLookup(domain, RecordStatus.Found, DmarcRecordParser.Parse(dmarc[0].JoinedText, "_dmarc." + domain), 1, answer);
        return new DmarcLookup(domain, RecordStatus.NotFound, null, dmarc.Count, answer);
    }

    public override string ToString() => $"{QueryName}: {Status}";
}
