using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Common;

namespace MailAuth.Dns;

/// <summary>
/// The answer to one question (name, type), after following CNAMEs. It always says whether
/// the name has no such record (<see cref="DnsResponseStatus.NxDomain"/>, or NoError with no
/// records) or whether the lookup failed (<see cref="DnsResponseStatus.Error"/> with its kind).
/// </summary>
public sealed class DnsAnswer
{
    private static readonly IReadOnlyList<DnsResourceRecord> None = Array.Empty<DnsResourceRecord>();
    private static readonly IReadOnlyList<string> NoChain = Array.Empty<string>();

    public DnsAnswer(string queryName, DnsRecordType queryType, DnsResponseStatus status, IReadOnlyList<DnsResourceRecord> records,
        DnsErrorKind errorKind = DnsErrorKind.None, string errorMessage = null, IReadOnlyList<string> cnameChain = null, string server = null)
    {
        QueryName = DnsResourceRecord.Trim(queryName);
        QueryType = queryType;
        Status = status;
        Records = records ?? None;
        ErrorKind = status == DnsResponseStatus.Error ? (errorKind == DnsErrorKind.None ? DnsErrorKind.Other : errorKind) : DnsErrorKind.None;
        ErrorMessage = errorMessage;
        CnameChain = cnameChain ?? NoChain;
        Server = server;
    }

    public string QueryName { get; }
    public DnsRecordType QueryType { get; }
    public DnsResponseStatus Status { get; }

    /// <summary>The records of <see cref="QueryType"/> at the end of the CNAME chain.</summary>
    public IReadOnlyList<DnsResourceRecord> Records { get; }

    public DnsErrorKind ErrorKind { get; }
    public string ErrorMessage { get; }

    /// <summary>The CNAME targets followed from <see cref="QueryName"/>, in order.</summary>
    public IReadOnlyList<string> CnameChain { get; }

    /// <summary>The name the records belong to: the last CNAME target, or the query name.</summary>
    public string CanonicalName => CnameChain.Count > 0 ? CnameChain[CnameChain.Count - 1] : QueryName;

    /// <summary>The server that answered, when known.</summary>
    public string Server { get; }

    public bool IsError => Status == DnsResponseStatus.Error;

    /// <summary>RFC 7208 §4.6.4: an answer with no records, NXDOMAIN or NODATA.</summary>
    public bool IsVoid => Status == DnsResponseStatus.NxDomain || (Status == DnsResponseStatus.NoError && Records.Count == 0);

    /// <summary>Found, NotFound or Error, as the result objects report it.</summary>
    public RecordStatus RecordStatus => IsError ? RecordStatus.Error : Records.Count > 0 ? RecordStatus.Found : RecordStatus.NotFound;

    /// <summary>A one-line account of a failed lookup, for messages.</summary>
    public string Describe()
    {
        if (!IsError) return IsVoid ? $"{QueryName} has no {QueryType} record ({(Status == DnsResponseStatus.NxDomain ? "NXDOMAIN" : "NODATA")})" : $"{QueryName} {QueryType}: {Records.Count} record(s)";
        return $"{QueryType} lookup of {QueryName} failed: {ErrorKind}{(string.IsNullOrEmpty(ErrorMessage) ? "" : " (" + ErrorMessage + ")")}";
    }

    public IEnumerable<string> TxtStrings() => Records.Where(r => r.Type == DnsRecordType.TXT).Select(r => r.JoinedText);

    public static DnsAnswer Failed(string name, DnsRecordType type, DnsErrorKind kind, string message = null, string server = null) =>
        new DnsAnswer(name, type, DnsResponseStatus.Error, null, kind, message, null, server);
}
