using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Mx;

/// <summary>
/// One row of Get-MxRecord: an MX host of a domain with its addresses, or, where the domain has
/// no MX or the lookup failed, one row that says so. Each row carries the findings about its exchange
/// (whose Subject is the exchange) and those about the domain's MX set as a whole.
/// </summary>
public sealed class MxRecordResult
{
    internal MxRecordResult(MxRecordSet set, MxHost host)
    {
        Domain = set.Domain;
        Status = set.Status;
        ErrorKind = set.ErrorKind;
        IsNullMx = set.IsNullMx;
        Findings = ReadOnlyArray.From(set.Findings.Where(f => string.Equals(f.Subject, set.Domain, StringComparison.OrdinalIgnoreCase)
            || host != null && string.Equals(f.Subject, host.Exchange, StringComparison.OrdinalIgnoreCase)));
        Preference = host?.Preference;
        Exchange = host?.Exchange;
        Addresses = ReadOnlyArray.From(host?.Addresses);
        AddressStatus = host?.AddressStatus;
    }

    public string Domain { get; }
    public RecordStatus Status { get; }
    public DnsErrorKind ErrorKind { get; }
    public int? Preference { get; }

    /// <summary>The exchange host; empty for a null MX, null where the domain has no MX.</summary>
    public string Exchange { get; }
    public IReadOnlyList<string> Addresses { get; }
    public RecordStatus? AddressStatus { get; }
    public bool IsNullMx { get; }
    public IReadOnlyList<Finding> Findings { get; }
}
