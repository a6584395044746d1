using System;
using System.Linq;

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

    /// <summary>The error type and when SES last checked, e.g. "HOST_NOT_FOUND, checked 2026-12-06T01:00:00Z" (what Export-Csv writes).</summary>
    public override string ToString() =>
        string.Join(", ", new[] { ErrorType, LastCheckedTimestamp.HasValue ? "checked " + LastCheckedTimestamp.Value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) : null }
            .Where(p => !string.IsNullOrEmpty(p)));
}
