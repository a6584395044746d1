using System;

namespace MailAuth.Ses;

/// <summary>Why and when SES last checked the identity (SES v2 VerificationInfo).</summary>
public sealed class SesVerificationInfo
{
    public SesVerificationInfo(string errorType, DateTimeOffset? lastCheckedTimestamp, DateTimeOffset? lastSuccessTimestamp, string soaPrimaryNameServer)
    {
        ErrorType = errorType;
        LastCheckedTimestamp = lastCheckedTimestamp;
        LastSuccessTimestamp = lastSuccessTimestamp;
        SoaPrimaryNameServer = soaPrimaryNameServer;
    }

    /// <summary>SERVICE_ERROR, DNS_SERVER_ERROR, HOST_NOT_FOUND, TYPE_NOT_FOUND, INVALID_VALUE, REPLICATION_* ...; null when none.</summary>
    public string ErrorType { get; }
    /// <summary>When SES last checked.</summary>
    public DateTimeOffset? LastCheckedTimestamp { get; }
    /// <summary>When SES last succeeded.</summary>
    public DateTimeOffset? LastSuccessTimestamp { get; }
    /// <summary>The primary name server of the SOA SES saw.</summary>
    public string SoaPrimaryNameServer { get; }
}
