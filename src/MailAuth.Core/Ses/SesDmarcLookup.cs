using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;

namespace MailAuth.Ses;

/// <summary>
/// A minimal DMARC policy discovery (RFC 7489 §6.6.3: the From domain, then the organizational
/// domain, approximated here by the last two labels) used until feat/dmarc's DmarcPolicyDiscoverer
/// (PSL-based) is merged; then Test-SesDomainSetup uses that instead.
/// </summary>
internal static class SesDmarcLookup
{
    internal sealed class Outcome
    {
        public string QueriedName;
        public string RecordDomain;
        public DnsAnswer Answer;
        public List<string> Records = new List<string>();
        public Dictionary<string, string> Tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    }

    internal static async Task<Outcome> DiscoverAsync(IDnsResolver resolver, string domain, CancellationToken cancellationToken)
    {
        var outcome = await QueryAsync(resolver, domain, cancellationToken).ConfigureAwait(false);
        if (outcome.Answer.IsError || outcome.Records.Count > 0) return outcome;
        var labels = domain.Split('.');
        if (labels.Length <= 2) return outcome;
        var org = labels[labels.Length - 2] + "." + labels[labels.Length - 1];
        var atOrg = await QueryAsync(resolver, org, cancellationToken).ConfigureAwait(false);
        return atOrg.Answer.IsError || atOrg.Records.Count > 0 ? atOrg : outcome;
    }

    private static async Task<Outcome> QueryAsync(IDnsResolver resolver, string domain, CancellationToken cancellationToken)
    {
        var name = "_dmarc." + domain;
        var answer = await resolver.QueryAsync(name, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        var outcome = new Outcome { QueriedName = name, RecordDomain = domain, Answer = answer };
        if (answer.IsError) return outcome;
        outcome.Records = answer.TxtStrings().Where(t => t.TrimStart().StartsWith("v=DMARC1", StringComparison.OrdinalIgnoreCase)).ToList();
        if (outcome.Records.Count == 1)
        {
            foreach (var part in outcome.Records[0].Split(';'))
            {
                var eq = part.IndexOf('=');
                if (eq > 0) outcome.Tags[part.Substring(0, eq).Trim()] = part.Substring(eq + 1).Trim();
            }
        }
        return outcome;
    }
}
