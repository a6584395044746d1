namespace MailAuth.Ses;

/// <summary>
/// What SES does when the custom MAIL FROM domain's MX record is missing (SES v2 API BehaviorOnMxFailure).
/// </summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum SesBehaviorOnMxFailure : long
{
    /// <summary>USE_DEFAULT_VALUE: send with a MAIL FROM under amazonses.com (SPF then passes but does not align).</summary>
    UseDefaultValue = 0,
    /// <summary>REJECT_MESSAGE: refuse to send (MailFromDomainNotVerified).</summary>
    RejectMessage = 1,
}
