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
}
