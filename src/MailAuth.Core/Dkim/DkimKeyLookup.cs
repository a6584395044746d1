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
    /// Records are parsed through <paramref name="cache"/> when there is one.
    /// </summary>
    public static DkimKeyRecord Choose(DnsAnswer answer, DkimKeyCache cache, out int keyRecordCount)
    {
        DkimKeyRecord usable = null, key = null, first = null;
        keyRecordCount = 0;
        foreach (var record in answer.Records)
        {
            if (record.Type != DnsRecordType.TXT) continue;
            var parsed = cache != null ? cache.Record(record) : DkimKeyRecord.Parse(record.JoinedText);
            first = first ?? parsed;
            if (!parsed.LooksLikeKey) continue;
            keyRecordCount++;
            key = key ?? parsed;
            if (usable == null && parsed.Error == null && parsed.KeyError == null) usable = parsed;
        }
        return usable ?? key ?? first;
    }
}
