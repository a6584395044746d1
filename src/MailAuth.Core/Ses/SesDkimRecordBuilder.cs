using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MailAuth.Dns;
using MailAuth.Common;
using MailAuth.Publishing;

namespace MailAuth.Ses;

/// <summary>
/// Builds the DKIM records of an SES identity offline (what New-SesDkimRecord writes): the three
/// Easy DKIM CNAMEs <c>&lt;token&gt;._domainkey.&lt;domain&gt;</c> → <c>&lt;token&gt;.&lt;hosted zone&gt;</c>,
/// or for Bring Your Own DKIM the key record at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>
/// (RFC 6376 §3.6.1, §3.6.2.1).
/// </summary>
public static class SesDkimRecordBuilder
{
    /// <summary>ErrorId for a BYODKIM public key that is not base64.</summary>
    public const string InvalidPublicKeyErrorId = "SesInvalidDkimPublicKey";

    /// <summary>ErrorId for a BYODKIM selector that is not a DNS label.</summary>
    public const string InvalidSelectorErrorId = "SesInvalidDkimSelector";

    /// <summary>ErrorId for a -SigningHostedZone that is not an SES DKIM zone name.</summary>
    public const string InvalidHostedZoneErrorId = "SesInvalidSigningHostedZone";

    private static readonly Regex Base64 = new Regex("^[A-Za-z0-9+/]+={0,2}$", RegexOptions.CultureInvariant);

    /// <summary>
    /// The hosted zone the CNAMEs point into: <paramref name="signingHostedZone"/> when the API reported
    /// one, else the region's zone, else dkim.amazonses.com.
    /// </summary>
    public static string ResolveHostedZone(string region, string signingHostedZone)
    {
        if (!string.IsNullOrWhiteSpace(signingHostedZone))
        {
            if (!DomainName.TryNormalize(signingHostedZone, out var zone, out var error))
                throw new MailAuthInputException(InvalidHostedZoneErrorId, $"-SigningHostedZone: {error}", signingHostedZone);
            return zone;
        }
        if (!string.IsNullOrWhiteSpace(region)) return SesRegion.Get(region).DkimHostedZone;
        return SesRegion.GlobalDkimHostedZone;
    }

    /// <summary>The three Easy DKIM CNAMEs. Validates everything before building anything.</summary>
    public static IReadOnlyList<DnsRecord> EasyDkim(string identity, IEnumerable<string> tokens, string region = null,
        string signingHostedZone = null, int ttl = SesMailFromConfigBuilder.DefaultTtl)
    {
        var domain = SesIdentityName.Domain(identity);
        var list = SesDkimToken.Validate(tokens);
        var zone = ResolveHostedZone(region, signingHostedZone);
        return list.Select(t => new DnsRecord(t + "._domainkey." + domain, "CNAME", t + "." + zone, ttl, null, "SES Easy DKIM")).ToList();
    }

    /// <summary>The BYODKIM key record (RFC 6376 §3.6.1): <c>v=DKIM1; k=rsa; p=&lt;key&gt;</c>.</summary>
    public static DnsRecord BringYourOwnDkim(string identity, string selector, string publicKey, int ttl = SesMailFromConfigBuilder.DefaultTtl)
    {
        var domain = SesIdentityName.Domain(identity);
        var sel = (selector ?? string.Empty).Trim().ToLowerInvariant();
        if (!Regex.IsMatch(sel, "^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*$"))
            throw new MailAuthInputException(InvalidSelectorErrorId, $"'{selector}' is not a DKIM selector: use DNS labels of letters, digits and hyphens (RFC 6376 §3.1).", selector);
        var key = StripPem(publicKey);
        if (key.Length == 0 || !Base64.IsMatch(key) || key.Length % 4 != 0)
            throw new MailAuthInputException(InvalidPublicKeyErrorId,
                "The public key is not base64: give the SubjectPublicKeyInfo of the key pair you registered with SES (PEM or bare base64).", "PublicKey");
        return new DnsRecord(sel + "._domainkey." + domain, "TXT", "v=DKIM1; k=rsa; p=" + key, ttl, null, "SES BYODKIM public key");
    }

    private static string StripPem(string publicKey)
    {
        if (publicKey == null) return string.Empty;
        var lines = publicKey.Replace("\r", string.Empty).Split('\n').Where(l => !l.StartsWith("-----", System.StringComparison.Ordinal));
        return Regex.Replace(string.Concat(lines), "\\s+", string.Empty);
    }
}
