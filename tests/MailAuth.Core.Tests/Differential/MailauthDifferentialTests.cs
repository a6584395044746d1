using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using MailAuth.MessageAuthentication;
using MailAuth.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MailAuth.Tests.Differential;

/// <summary>
/// A second independent oracle: every generated message (<see cref="DifferentialMessages"/>) is evaluated by MailAuth's
/// core (<see cref="MessageAuthenticator"/>) and by postalsys mailauth 7.1.0 against the same Knot server, and their SPF,
/// DKIM (per signature), DMARC and ARC results are compared. A disagreement is either a MailAuth bug to fix or listed in
/// <see cref="ExplainedDisagreements"/> with the RFC reason MailAuth differs; a listed one that no longer occurs fails
/// the test too, so the list stays true.
/// </summary>
[Collection(KnotDnsCollection.Name)]
public sealed class MailauthDifferentialTests
{
    /// <summary>Case id pattern (a regular expression over "author/signing/envelope") and aspect, with the RFC reason MailAuth's answer differs.</summary>
    private static readonly (string Case, string Aspect, string Reason)[] ExplainedDisagreements =
    {
        // A signature whose body hash does not match (the body changed after signing, a list's footer) is dkim=fail in
        // MailAuth and dkim=neutral in mailauth. RFC 6376 §6.1.3 makes it PERMFAIL ("body hash did not verify"), and
        // RFC 8601 §2.7.1 reserves neutral for signatures with syntax errors or that could not be processed, and fail
        // for signatures that failed the verification tests.
        (@"(relaxed|strict|upper)/body-changed/.*|arc/(sealed-by-list|sealed-by-list-and-forwarder|changed-after-the-list-sealed)", "dkim",
            "RFC 6376 §6.1.3 and RFC 8601 §2.7.1: a body hash mismatch is a verification failure, dkim=fail, not neutral"),
    };

    private readonly KnotDnsServer _dns;
    private readonly ITestOutputHelper _output;

    public MailauthDifferentialTests(KnotDnsServerFixture fixture, ITestOutputHelper output)
    {
        _dns = fixture.Server;
        _output = output;
    }

    [MailauthPeerFact]
    public async Task MailAuth_and_mailauth_agree_on_spf_dkim_dmarc_and_arc_except_where_an_rfc_says_otherwise()
    {
        var missing = MailauthPeer.Missing();
        Assert.True(missing == null, $"{missing}; CI must run {MailauthPeer.InstallScript} before the tests.");

        var cases = DifferentialMessages.Generate(_dns.Address);
        var peer = MailauthPeer.Evaluate(cases, _dns.Port);
        var authenticator = new MessageAuthenticator(_dns.CreateResolver());

        int comparisons = 0, agreements = 0;
        var unexplained = new List<string>();
        var report = new List<string>();
        var explainedSeen = new HashSet<int>();
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var theirs = peer[i];
            Assert.True(theirs.Error == null, $"mailauth failed on {c.Id}: {theirs.Error}");
            var ours = await authenticator.AuthenticateAsync(c.Message, new MessageAuthenticationOptions
            {
                ClientIP = IPAddress.Parse(c.ClientIP),
                MailFrom = c.MailFrom,
                Helo = c.Helo,
                AuthServId = "mx.mailauth.test",
            });

            var aspects = new List<(string Aspect, string Ours, string Theirs)>
            {
                ("spf", Lower(ours.SpfResult), theirs.Spf),
                ("dkim", string.Join(" ", ours.Dkim.Select(d => $"{d.Domain}/{d.Selector}={Lower(d.Result)}")),
                    string.Join(" ", theirs.Dkim.Select(d => $"{d.D}/{d.S}={d.Result}"))),
                ("dmarc", Lower(ours.DmarcResult), theirs.Dmarc),
                // The policy a receiver applies to failing mail (after t=y), compared only where both say fail.
                ("disposition", ours.DmarcResult == MailAuth.Dmarc.DmarcResult.Fail && theirs.Dmarc == "fail" ? Lower(ours.Disposition) : "-",
                    ours.DmarcResult == MailAuth.Dmarc.DmarcResult.Fail && theirs.Dmarc == "fail" ? theirs.Policy : "-"),
                ("arc", Lower(ours.ArcResult), theirs.Arc),
            };
            foreach (var (aspect, mine, other) in aspects)
            {
                comparisons++;
                if (string.Equals(mine, other, StringComparison.OrdinalIgnoreCase))
                {
                    agreements++;
                    continue;
                }
                var line = $"{c.Id} {aspect}: MailAuth {mine} | mailauth {other}";
                int explained = Array.FindIndex(ExplainedDisagreements, e => e.Aspect == aspect && Regex.IsMatch(c.Id, "^(" + e.Case + ")$"));
                if (explained >= 0)
                {
                    explainedSeen.Add(explained);
                    report.Add($"explained: {line} ({ExplainedDisagreements[explained].Reason})");
                }
                else
                {
                    unexplained.Add(line + DkimComments(theirs));
                    report.Add("UNEXPLAINED: " + line + DkimComments(theirs));
                }
            }
        }

        var stale = Enumerable.Range(0, ExplainedDisagreements.Length).Where(i => !explainedSeen.Contains(i))
            .Select(i => $"{ExplainedDisagreements[i].Case} {ExplainedDisagreements[i].Aspect}").ToList();
        var summary = $"mailauth 7.1.0 differential: {agreements} of {comparisons} comparisons agree over {cases.Count} messages; " +
            $"{comparisons - agreements - unexplained.Count} explained disagreement(s), {unexplained.Count} unexplained";
        report.Add(summary);
        foreach (var line in report) _output.WriteLine(line);
        Console.WriteLine(summary);
        // dotnet test shows no output of a passing test, so the summary also goes where CI can print it.
        File.WriteAllLines(MailauthPeer.SummaryFile, report);
        Assert.True(unexplained.Count == 0, "Disagreements with mailauth to fix or explain:" + Environment.NewLine + string.Join(Environment.NewLine, unexplained));
        Assert.True(stale.Count == 0, "Listed disagreements that no longer occur (remove them): " + string.Join(", ", stale));
    }

    private static string Lower<T>(T value) where T : Enum => value.ToString().ToLowerInvariant();

    private static string DkimComments(PeerVerdict verdict)
    {
        var comments = verdict.Dkim.Where(d => !string.IsNullOrEmpty(d.Comment)).Select(d => $"{d.D}: {d.Comment}").ToList();
        return comments.Count == 0 ? string.Empty : " [" + string.Join("; ", comments) + "]";
    }
}
