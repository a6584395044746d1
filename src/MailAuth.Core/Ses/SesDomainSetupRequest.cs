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
    /// <summary>The SES region; decides the DKIM hosted zone and the feedback MX.</summary>
    public string Region { get; set; }
    /// <summary>The three Easy DKIM tokens; null or empty: DKIM records are not checked.</summary>
    public IReadOnlyList<string> Tokens { get; set; }
    /// <summary>The hosted zone the API reported; wins over the region's.</summary>
    public string SigningHostedZone { get; set; }
    /// <summary>The custom MAIL FROM domain; null: SES uses its own (amazonses.com).</summary>
    public string MailFromDomain { get; set; }
    /// <summary>What SES does while the MAIL FROM MX is missing.</summary>
    public SesBehaviorOnMxFailure BehaviorOnMxFailure { get; set; } = SesBehaviorOnMxFailure.UseDefaultValue;
}
