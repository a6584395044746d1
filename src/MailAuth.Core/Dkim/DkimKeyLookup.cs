using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;

namespace MailAuth.Dkim;

/// <summary>
/// Fetches the key record of a selector (RFC 6376 §3.6.2): one TXT query at
/// &lt;selector&gt;._domainkey.&lt;domain&gt;, CNAMEs followed by the resolver.
/// </summary>
internal static class DkimKeyLookup
{
    public static string KeyName(string selector, string domain) => $"{selector}._domainkey.{domain}";

    public static Task<DnsAnswer> QueryAsync(IDnsResolver resolver, string selector, string domain, CancellationToken cancellationToken) =>
        resolver.QueryAsync(KeyName(selector, domain), DnsRecordType.TXT, cancellationToken);

    /// <summary>
    /// The key record to use from an answer: the first TXT record that parses as a DKIM key, else the
    /// first TXT record (RFC 6376 §3.6.2.2 lets a verifier choose among several). Null when there is none.
    /// </summary>
    public static DkimKeyRecord Choose(DnsAnswer answer, out int keyRecordCount)
    {
        var parsed = answer.TxtStrings().Select(DkimKeyRecord.Parse).ToList();
        keyRecordCount = parsed.Count(r => r.LooksLikeKey);
        return parsed.FirstOrDefault(r => r.LooksLikeKey && r.Error == null && r.KeyError == null)
            ?? parsed.FirstOrDefault(r => r.LooksLikeKey)
            ?? parsed.FirstOrDefault();
    }
}
