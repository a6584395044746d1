using System.Collections.Generic;
using MailAuth.Common;

namespace MailAuth.Ses;

/// <summary>
/// An SES identity as GetEmailIdentity reports it, with findings that explain its state
/// (e.g. DKIM PENDING means SES is still waiting for the CNAMEs, not that it failed).
/// </summary>
public sealed class SesEmailIdentity
{
    public SesEmailIdentity(string identity, string region, string identityType, bool verifiedForSendingStatus, bool feedbackForwardingStatus,
        string verificationStatus, SesVerificationInfo verificationInfo, SesDkimAttributes dkim, SesMailFromAttributes mailFrom,
        IReadOnlyList<Finding> findings)
    {
        Identity = identity;
        Region = region;
        IdentityType = identityType;
        VerifiedForSendingStatus = verifiedForSendingStatus;
        FeedbackForwardingStatus = feedbackForwardingStatus;
        VerificationStatus = verificationStatus;
        VerificationInfo = verificationInfo;
        Dkim = dkim;
        MailFrom = mailFrom;
        Findings = ReadOnlyArray.From(findings);
    }

    /// <summary>The identity: a domain or an email address.</summary>
    public string Identity { get; }
    /// <summary>The region asked.</summary>
    public string Region { get; }
    /// <summary>DOMAIN, EMAIL_ADDRESS or MANAGED_DOMAIN.</summary>
    public string IdentityType { get; }
    /// <summary>Whether SES lets you send from it.</summary>
    public bool VerifiedForSendingStatus { get; }
    /// <summary>Whether bounces and complaints are forwarded by email.</summary>
    public bool FeedbackForwardingStatus { get; }
    /// <summary>PENDING, SUCCESS, FAILED, TEMPORARY_FAILURE or NOT_STARTED.</summary>
    public string VerificationStatus { get; }
    /// <summary>Details of the last verification attempt, when SES reports them.</summary>
    public SesVerificationInfo VerificationInfo { get; }
    /// <summary>The DKIM attributes.</summary>
    public SesDkimAttributes Dkim { get; }
    /// <summary>The custom MAIL FROM attributes; null when none is configured.</summary>
    public SesMailFromAttributes MailFrom { get; }
    /// <summary>What the state means and what to do.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>The DKIM tokens, for binding to -Token by property name.</summary>
    public IReadOnlyList<string> Tokens => ReadOnlyArray.From(Dkim?.Tokens);
    /// <summary>The custom MAIL FROM domain, for binding to -MailFromDomain by property name.</summary>
    public string MailFromDomain => MailFrom?.MailFromDomain;
    /// <summary>The DKIM hosted zone, for binding to -SigningHostedZone by property name.</summary>
    public string SigningHostedZone => Dkim?.SigningHostedZone;
}
