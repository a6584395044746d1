using System.Linq;

namespace MailAuth.Ses;

/// <summary>The custom MAIL FROM attributes of an SES identity (SES v2 MailFromAttributes).</summary>
public sealed class SesMailFromAttributes
{
    public SesMailFromAttributes(string mailFromDomain, string mailFromDomainStatus, string behaviorOnMxFailure)
    {
        MailFromDomain = mailFromDomain;
        MailFromDomainStatus = mailFromDomainStatus;
        BehaviorOnMxFailure = behaviorOnMxFailure;
    }

    /// <summary>The custom MAIL FROM domain; empty when none is configured.</summary>
    public string MailFromDomain { get; }
    /// <summary>PENDING, SUCCESS, FAILED or TEMPORARY_FAILURE.</summary>
    public string MailFromDomainStatus { get; }
    /// <summary>USE_DEFAULT_VALUE or REJECT_MESSAGE.</summary>
    public string BehaviorOnMxFailure { get; }

    /// <summary>True when a custom MAIL FROM domain is configured.</summary>
    public bool IsConfigured => !string.IsNullOrEmpty(MailFromDomain);

    /// <summary>The MAIL FROM domain, its status and the behavior on MX failure, e.g. "mail.example.com SUCCESS USE_DEFAULT_VALUE" (what Export-Csv writes).</summary>
    public override string ToString() =>
        string.Join(" ", new[] { MailFromDomain, MailFromDomainStatus, BehaviorOnMxFailure }.Where(p => !string.IsNullOrEmpty(p)));
}
