using System.Collections.Generic;
using System.Linq;
using MailAuth.Common;
using MailAuth.Publishing;

namespace MailAuth.Ses;

/// <summary>
/// A custom MAIL FROM configuration for an SES identity and the two records it needs on the
/// MAIL FROM domain: the feedback MX and an SPF record that authorizes SES (RFC 7208 §3).
/// With it, the RFC 5321.MailFrom of SES mail is under your domain, so SPF can align for
/// DMARC (RFC 9989 §4.4.2); without it, SPF passes for amazonses.com and does not align.
/// </summary>
public sealed class SesMailFromConfig
{
    /// <summary>ErrorId: the MAIL FROM domain is not below the identity.</summary>
    public const string MailFromOutsideIdentityErrorId = "SesMailFromOutsideIdentity";

    /// <summary>ErrorId: the MAIL FROM domain is the identity itself.</summary>
    public const string MailFromIsIdentityErrorId = "SesMailFromIsIdentity";

    /// <summary>The SPF record SES documents for a custom MAIL FROM domain.</summary>
    public const string SpfRecordValue = "v=spf1 include:amazonses.com ~all";

    internal SesMailFromConfig(string identity, string mailFromDomain, SesRegion region, SesBehaviorOnMxFailure behavior,
        IReadOnlyList<DnsRecord> records, string spfAlignment, IReadOnlyList<Finding> findings)
    {
        Identity = identity;
        MailFromDomain = mailFromDomain;
        Region = region.Name;
        BehaviorOnMxFailure = behavior;
        Records = ReadOnlyArray.From(records);
        SpfAlignment = spfAlignment;
        Findings = ReadOnlyArray.From(findings);
    }

    /// <summary>The identity's domain.</summary>
    public string Identity { get; }

    /// <summary>The custom MAIL FROM domain, a subdomain of <see cref="Identity"/>.</summary>
    public string MailFromDomain { get; }

    /// <summary>The SES region whose feedback MX the MAIL FROM domain points at.</summary>
    public string Region { get; }

    /// <summary>What SES does while the MX record is missing.</summary>
    public SesBehaviorOnMxFailure BehaviorOnMxFailure { get; }

    /// <summary>The MX and the SPF TXT record to publish on <see cref="MailFromDomain"/>.</summary>
    public IReadOnlyList<DnsRecord> Records { get; }

    /// <summary>
    /// The SPF identifier alignment this gives with a From domain equal to the identity:
    /// "Relaxed" (the MAIL FROM domain shares the organizational domain, RFC 9989 §4.4.2);
    /// it never aligns in strict mode (aspf=s), because the MAIL FROM domain is always a subdomain.
    /// </summary>
    public string SpfAlignment { get; }

    /// <summary>What to keep in mind when publishing the records.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>The MX record.</summary>
    public DnsRecord MxRecord => Records.First(r => r.Type == "MX");

    /// <summary>The SPF TXT record.</summary>
    public DnsRecord SpfRecord => Records.First(r => r.Type == "TXT");

    /// <summary>The wire value of <see cref="BehaviorOnMxFailure"/> (USE_DEFAULT_VALUE, REJECT_MESSAGE).</summary>
    public string BehaviorOnMxFailureApiValue => SesApiValues.ToApi(BehaviorOnMxFailure);
}
