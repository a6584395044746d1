using System;
using System.Collections.Generic;

namespace MailAuth.Ses;

/// <summary>
/// What an SES identity should have in DNS: from the SES API (Get-SesEmailIdentity) or given
/// offline (-Token, -MailFromDomain). Null members are not checked.
/// </summary>
public sealed class SesDomainSetupRequest
{
    /// <summary>The identity (domain or address); mail is assumed to use its domain in From.</summary>
    public string Identity { get; set; }
    /// <summary>
    /// The SES region; decides the DKIM hosted zone and the feedback MX. Null: inferred from the MAIL FROM MX
    /// (<c>feedback-smtp.&lt;region&gt;.amazonses.com</c>) or the DKIM CNAMEs' hosted zone, as far as DNS shows.
    /// </summary>
    public string Region { get; set; }
    /// <summary>The three Easy DKIM tokens, or the BYODKIM selector; null or empty: see <see cref="ObservedSelectors"/>.</summary>
    public IReadOnlyList<string> Tokens { get; set; }
    /// <summary>
    /// DKIM selectors seen on the identity's mail (the s= of DMARC aggregate report rows whose d= is the identity),
    /// checked as Easy DKIM tokens when <see cref="Tokens"/> is empty. SES signs with one token at a time, so these
    /// may be fewer than three.
    /// </summary>
    public IReadOnlyList<string> ObservedSelectors { get; set; }
    /// <summary>The hosted zone the API reported; wins over the region's.</summary>
    public string SigningHostedZone { get; set; }
    /// <summary>The custom MAIL FROM domain; null: SES uses its own (amazonses.com).</summary>
    public string MailFromDomain { get; set; }
    /// <summary>What SES does while the MAIL FROM MX is missing.</summary>
    public SesBehaviorOnMxFailure BehaviorOnMxFailure { get; set; } = SesBehaviorOnMxFailure.UseDefaultValue;
    /// <summary>
    /// The identity as GetEmailIdentity reported it in <see cref="Region"/>; null when the API was not asked. Its DKIM
    /// origin (Easy DKIM, BYODKIM, a DEED replica), key length and age, and the DKIM and MAIL FROM states are judged too.
    /// </summary>
    public SesEmailIdentity EmailIdentity { get; set; }
    /// <summary>The other regions the identity lives in (a MAIL FROM domain has one MX, so only one region's feedback MX can be on it).</summary>
    public IReadOnlyList<string> OtherRegions { get; set; }
    /// <summary>The time key ages are measured against; null: now.</summary>
    public DateTimeOffset? Now { get; set; }
}
