using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using MailAuth.Common;

namespace MailAuth.Spf;

/// <summary>
/// The outcome of check_host() (RFC 7208 §4) for one client address and identity, with the
/// evidence: the term that matched, the explanation (exp=, §6.2), the lookup counts against the
/// §4.6.4 limits, and every step taken, in order.
/// </summary>
public sealed class SpfCheckResult
{
    internal SpfCheckResult(SpfResult result, string domain, IPAddress ipAddress, string mailFrom, string helo, string matchedTerm,
        string explanation, int dnsLookupCount, int voidLookupCount, IReadOnlyList<SpfTraceStep> trace, FormattableString reason)
    {
        Result = result;
        Domain = domain;
        IPAddress = ipAddress?.ToString();
        MailFrom = mailFrom;
        Helo = helo;
        MatchedTerm = matchedTerm;
        Explanation = explanation;
        DnsLookupCount = dnsLookupCount;
        VoidLookupCount = voidLookupCount;
        _steps = trace ?? Array.Empty<SpfTraceStep>();
        _reasonText = reason;
    }

    /// <summary>Pass, Fail, SoftFail, Neutral, None, TempError or PermError (§2.6).</summary>
    public SpfResult Result { get; }

    /// <summary>The domain whose policy was checked: the MAIL FROM domain, or the HELO name for the HELO identity.</summary>
    public string Domain { get; }

    /// <summary>The client address (an IPv4-mapped IPv6 address is checked as IPv4, §5).</summary>
    public string IPAddress { get; }

    /// <summary>The MAIL FROM identity as checked (postmaster@&lt;helo&gt; when the reverse-path was empty, §4.3).</summary>
    public string MailFrom { get; }

    /// <summary>The HELO/EHLO name given.</summary>
    public string Helo { get; }

    /// <summary>The term that decided the result, e.g. "include:_spf.example.net" or "-all"; null when none matched.</summary>
    public string MatchedTerm { get; }

    /// <summary>For Fail: the expanded exp= text (§6.2), or null.</summary>
    public string Explanation { get; }

    /// <summary>DNS-querying terms evaluated (include, a, mx, ptr, exists, redirect), against the limit of 10 (§4.6.4).</summary>
    public int DnsLookupCount { get; }

    /// <summary>Terms whose lookup found nothing (NXDOMAIN or no records), against the limit of 2 (§4.6.4).</summary>
    public int VoidLookupCount { get; }

    // The trace and the reason are kept unformatted and rendered when first read: a mail server
    // that checks thousands of messages and reads only Result pays nothing for the text.
    private readonly IReadOnlyList<SpfTraceStep> _steps;
    private readonly FormattableString _reasonText;
    private IReadOnlyList<string> _trace;
    private string _reason;

    /// <summary>Every step of the evaluation, in order.</summary>
    public IReadOnlyList<string> Trace
    {
        get
        {
            if (_trace != null) return _trace;
            var lines = new string[_steps.Count];
            for (int i = 0; i < lines.Length; i++) lines[i] = _steps[i].ToString();
            return _trace = ReadOnlyArray.From(lines);
        }
    }

    /// <summary>Why the result is what it is, in one sentence.</summary>
    public string Reason => _reason ?? (_reason = _reasonText?.ToString(CultureInfo.InvariantCulture));

    public override string ToString() => $"{Result} ({Domain}, {IPAddress}): {Reason}";
}
