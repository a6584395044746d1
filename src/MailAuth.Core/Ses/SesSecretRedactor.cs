using System.Text.RegularExpressions;

namespace MailAuth.Ses;

/// <summary>
/// Removes from text that an endpoint sent back (an error message, an error type, a redirect target)
/// anything that looks like an AWS credential or a request signature, before it goes into an error
/// message: a proxy that echoes request headers must not put the session token into $Error or a log.
/// What is removed: access key ids (AKIA…, ASIA… and the other IAM unique-id prefixes), the values of
/// Authorization, X-Amz-Security-Token, X-Amz-Credential, X-Amz-Signature and Signature=, session
/// tokens by their fixed prefixes, and any run of 40 or more base64 characters (a secret access key
/// is 40; signatures and tokens are longer).
/// </summary>
internal static class SesSecretRedactor
{
    private const string Mark = "[redacted]";

    // Header or query parameter name, then its value up to the next separator.
    private static readonly Regex NamedValue = new Regex(
        @"(?<name>\b(?:Authorization|X-Amz-Security-Token|X-Amz-Credential|X-Amz-Signature|Credential|Signature)\b\s*[:=]\s*)(?<value>[^\s,;&""']+(?:\s+Credential=[^\s,;&""']+)?)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    // IAM unique identifiers (access keys, users, roles...) and the test prefix AKID used in AWS's examples.
    private static readonly Regex KeyId = new Regex(@"\b(?:AKIA|ASIA|AKID|AIDA|AROA|AIPA|ANPA|ANVA|AGPA|ABIA|ACCA|APKA)[A-Z0-9]{8,}\b",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    // STS session tokens start with these base64 prefixes; long base64 runs are keys, signatures or tokens.
    private static readonly Regex TokenLike = new Regex(@"(?:IQoJb3JpZ2lu|FwoGZXIvYXdz)[A-Za-z0-9+/=]*|[A-Za-z0-9+/=]{40,}",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>The text with every credential-looking part replaced by "[redacted]"; null stays null.</summary>
    internal static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        text = NamedValue.Replace(text, m => m.Groups["name"].Value + Mark);
        text = KeyId.Replace(text, Mark);
        return TokenLike.Replace(text, Mark);
    }

    /// <summary>
    /// Also removes the exact credential values this client holds, which a server may echo in a form no
    /// pattern recognises.
    /// </summary>
    internal static string Redact(string text, params string[] knownSecrets)
    {
        if (string.IsNullOrEmpty(text)) return text;
        foreach (var secret in knownSecrets)
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 8) text = text.Replace(secret, Mark);
        return Redact(text);
    }
}
