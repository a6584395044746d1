using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Ses;

/// <summary>Normalizes the SES identity and domain names the builders and checks take.</summary>
public static class SesIdentityName
{
    /// <summary>The domain of a domain or email-address identity, normalized; throws InvalidDomainName.</summary>
    public static string Domain(string identity)
    {
        var domainPart = DomainName.FromAddressOrDomain(identity);
        if (!DomainName.TryNormalize(domainPart, out var domain, out var error))
            throw new MailAuthInputException(DomainName.InvalidDomainNameErrorId, error, identity);
        return domain;
    }

    /// <summary>
    /// The custom MAIL FROM domain, normalized and checked: it must be a subdomain of the identity's
    /// domain and not the domain itself (SES v2 PutEmailIdentityMailFromAttributes).
    /// </summary>
    internal static string MailFromDomain(string mailFromDomain, string identityDomain)
    {
        if (!DomainName.TryNormalize(mailFromDomain, out var mailFrom, out var error))
            throw new MailAuthInputException(DomainName.InvalidDomainNameErrorId, error, mailFromDomain);
        if (mailFrom == identityDomain)
            throw new MailAuthInputException(SesMailFromConfig.MailFromIsIdentityErrorId,
                $"The MAIL FROM domain must be a subdomain of {identityDomain}, not {identityDomain} itself: it gets an MX record pointing at SES, so it cannot be the domain that receives your mail. Use e.g. mail.{identityDomain}.",
                mailFromDomain);
        if (!DomainName.IsAtOrBelow(mailFrom, identityDomain))
            throw new MailAuthInputException(SesMailFromConfig.MailFromOutsideIdentityErrorId,
                $"The MAIL FROM domain {mailFrom} is not a subdomain of the identity {identityDomain}; SES accepts only a subdomain of the verified identity, e.g. mail.{identityDomain}.",
                mailFromDomain);
        return mailFrom;
    }
}
