using System.Collections.Generic;
using MailAuth.Common;
using MailAuth.Publishing;

namespace MailAuth.Ses;

/// <summary>
/// Builds a custom MAIL FROM configuration offline (what New-SesMailFromConfig writes).
/// Amazon SES Developer Guide, "Using a custom MAIL FROM domain"; RFC 7208 §2.4 (MAIL FROM identity);
/// RFC 9989 §4.4.2 (SPF identifier alignment).
/// </summary>
public static class SesMailFromConfigBuilder
{
    /// <summary>Default TTL for the records it proposes.</summary>
    public const int DefaultTtl = 3600;

    /// <summary>
    /// Checks the names and returns the configuration with its MX and TXT records; throws
    /// <see cref="MailAuthInputException"/> (InvalidDomainName, SesMailFromOutsideIdentity,
    /// SesMailFromIsIdentity, SesUnknownRegion) before anything is built. <paramref name="fromDomain"/>
    /// is the RFC 5322.From domain mail will use (default: the identity's domain).
    /// </summary>
    public static SesMailFromConfig Build(string identity, string mailFromDomain, string region,
        SesBehaviorOnMxFailure behavior = SesBehaviorOnMxFailure.UseDefaultValue, string fromDomain = null, int ttl = DefaultTtl)
    {
        var identityDomain = SesIdentityName.Domain(identity);
        var mailFrom = SesIdentityName.MailFromDomain(mailFromDomain, identityDomain);
        var sesRegion = SesRegion.Get(region);
        var from = fromDomain == null ? identityDomain : SesIdentityName.Domain(fromDomain);

        var records = new List<DnsRecord>
        {
            new DnsRecord(mailFrom, "MX", sesRegion.FeedbackMailExchange, ttl, 10, "SES custom MAIL FROM: bounce and complaint feedback"),
            new DnsRecord(mailFrom, "TXT", SesMailFromConfig.SpfRecordValue, ttl, null, "SES custom MAIL FROM: SPF"),
        };

        var strict = mailFrom == from;
        // Both names at or below the identity share its organizational domain (RFC 7489 §3.2), whatever the PSL says.
        var alignment = strict ? "Strict" : Dns.DomainName.IsAtOrBelow(from, identityDomain) ? "Relaxed" : "None";
        var findings = new List<Finding>
        {
            Finding.Warning("SesMailFromMustNotReceiveMail",
                $"{mailFrom} must not receive mail: its MX points at SES's feedback endpoint {sesRegion.FeedbackMailExchange}, so do not use it in any mailbox address or for another mail service.",
                "Amazon SES custom MAIL FROM", mailFrom),
            Finding.Warning("SesMailFromSingleMx",
                $"Publish exactly one MX record on {mailFrom} (10 {sesRegion.FeedbackMailExchange}); a second MX makes SES treat the MAIL FROM domain as failed and bounces get lost.",
                "Amazon SES custom MAIL FROM", mailFrom),
            alignment == "Strict"
                ? Finding.Info("SesMailFromSpfAlignsStrict", $"The MAIL FROM domain equals the From domain {from}: SPF aligns in strict and relaxed mode.", "RFC 9989 §4.4.2", mailFrom)
                : alignment == "Relaxed"
                    ? Finding.Info("SesMailFromSpfAlignsRelaxed",
                        $"Mail From {from} with MAIL FROM {mailFrom}: SPF aligns in relaxed mode (the DMARC default, aspf=r) because both share an organizational domain; with aspf=s it does not align, so leave aspf relaxed.",
                        "RFC 9989 §4.4.2", mailFrom)
                    : Finding.Warning("SesMailFromSpfDoesNotAlign",
                        $"The From domain {from} and the MAIL FROM domain {mailFrom} are unrelated: SPF will not align for DMARC.", "RFC 9989 §4.4.2", mailFrom),
        };
        return new SesMailFromConfig(identityDomain, mailFrom, sesRegion, behavior, records, alignment, findings);
    }
}
