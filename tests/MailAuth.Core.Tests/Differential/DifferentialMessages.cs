using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using MailAuth.Tests.Dkim;
using MailAuth.Tests.MessageAuthentication;

namespace MailAuth.Tests.Differential;

/// <summary>One message and its SMTP envelope, evaluated by MailAuth and by the peer.</summary>
internal sealed record DifferentialCase(string Id, byte[] Message, string ClientIP, string Helo, string MailFrom);

/// <summary>
/// The generated messages of the differential test (zones: tests/data/zones/diff.test.zone and arc.test.zone):
/// three author domains (relaxed DMARC with ~all SPF, strict DMARC with -all, the strict record in upper case),
/// each with ten ways of signing (none; RSA relaxed/relaxed, simple/simple, relaxed/simple; l= with text added after
/// signing; Ed25519; a subdomain's signature; a third party's; the third party's and the author's together; a body
/// changed after signing) and three envelopes (SPF pass, SPF fail or softfail, SPF pass for a subdomain); six more
/// author domains (t=y; SPF through a %{d} include, through redirect= to ?all, and with a syntax error; a name that
/// does not exist under np=reject; a name under a psd=y record) with four ways of signing (none, the author's, a
/// subdomain's, a third party's); and the ARC-sealed forwards of <see cref="ArcForwarding"/>. Every message has
/// folded To and Subject fields.
/// </summary>
internal static class DifferentialMessages
{
    public const string AuthorIP = "192.0.2.25";
    public const string SubdomainIP = "192.0.2.26";
    public const string StrangerIP = "198.51.100.9";
    public const string Helo = "mx.sender.test";
    public const string ThirdParty = "thirdparty.diff.test";

    /// <summary>Case name, the From domain, the domain that signs and sends (SPF), and whether every way of signing is tried.</summary>
    public static readonly (string Name, string From, string Domain, bool AllSignings)[] Authors =
    {
        ("relaxed", "relaxed.diff.test", "relaxed.diff.test", true),
        ("strict", "strict.diff.test", "strict.diff.test", true),
        ("upper", "upper.diff.test", "upper.diff.test", true),
        ("testing", "testing.diff.test", "testing.diff.test", false),
        ("spf-macro", "macro.diff.test", "macro.diff.test", false),
        ("spf-redirect", "redirect.diff.test", "redirect.diff.test", false),
        ("spf-broken", "broken.diff.test", "broken.diff.test", false),
        ("nonexistent-np", "ghost.np.diff.test", "np.diff.test", false),
        ("psd", "a.psd.diff.test", "a.psd.diff.test", false),
    };

    private static readonly string[] BasicSignings = { "unsigned", "rsa-relaxed", "subdomain", "third-party" };

    private static readonly (string Name, Func<byte[], string, byte[]> Sign)[] Signings =
    {
        ("unsigned", (m, a) => m),
        ("rsa-relaxed", (m, a) => DkimTestSigning.SignWithMimeKit(m, "rsa2048.key", a, "s1")),
        ("rsa-simple", (m, a) => DkimTestSigning.SignWithMimeKit(m, "rsa2048.key", a, "s1", canonicalization: "simple/simple")),
        ("rsa-relaxed-simple", (m, a) => DkimTestSigning.SignWithMimeKit(m, "rsa2048.key", a, "s1", canonicalization: "relaxed/simple")),
        ("length-then-appended", (m, a) => ArcForwarding.Append(DkimTestSigning.SignWithDkimpy(m, "rsa2048.key", a, "s1", length: true), "Appended after signing.\r\n")),
        ("ed25519", (m, a) => DkimTestSigning.SignWithDkimpy(m, "ed25519.seed", a, "ed", "ed25519-sha256")),
        ("subdomain", (m, a) => DkimTestSigning.SignWithMimeKit(m, "rsa2048.key", "mail." + a, "s1")),
        ("third-party", (m, a) => DkimTestSigning.SignWithMimeKit(m, "rsa2048.key", ThirdParty, "s1")),
        ("third-party-and-author", (m, a) => DkimTestSigning.SignWithMimeKit(DkimTestSigning.SignWithMimeKit(m, "rsa2048.key", ThirdParty, "s1"), "rsa2048.key", a, "s1")),
        ("body-changed", (m, a) => DkimTestSigning.Replace(DkimTestSigning.SignWithMimeKit(m, "rsa2048.key", a, "s1"), "figures are in", "figures are out")),
    };

    private static readonly (string Name, string IP, Func<string, string> MailFrom)[] Envelopes =
    {
        ("spf-pass", AuthorIP, a => "bounce@" + a),
        ("spf-not-authorized", StrangerIP, a => "bounce@" + a),
        ("spf-subdomain", SubdomainIP, a => "bounce@mail." + a),
    };

    public static IReadOnlyList<DifferentialCase> Generate(string dnsServer)
    {
        var cases = new List<DifferentialCase>();
        foreach (var (name, from, domain, allSignings) in Authors)
        {
            foreach (var (signing, sign) in Signings.Where(s => allSignings || BasicSignings.Contains(s.Name)))
            {
                var signed = sign(Letter(from, signing), domain);
                foreach (var (envelope, ip, mailFrom) in Envelopes)
                    cases.Add(new DifferentialCase($"{name}/{signing}/{envelope}", signed, ip, Helo, mailFrom(domain)));
            }
        }
        cases.Add(new DifferentialCase("arc/original", ArcForwarding.Original(), ArcForwarding.AuthorIP, Helo, ArcForwarding.MailFrom));
        cases.Add(new DifferentialCase("arc/sealed-by-list", ArcForwarding.SealedByList(dnsServer), ArcForwarding.RelayIP, Helo, ArcForwarding.MailFrom));
        cases.Add(new DifferentialCase("arc/sealed-by-list-and-forwarder", ArcForwarding.SealedByListAndForwarder(dnsServer), ArcForwarding.RelayIP, Helo, ArcForwarding.MailFrom));
        cases.Add(new DifferentialCase("arc/changed-after-the-list-sealed", ArcForwarding.SealedByListAndForwarder(dnsServer, addDisclaimer: true), ArcForwarding.RelayIP, Helo, ArcForwarding.MailFrom));
        return cases;
    }

    /// <summary>The unsigned letter from author@<paramref name="author"/>, with folded To and Subject fields.</summary>
    private static byte[] Letter(string author, string signing) => Encoding.ASCII.GetBytes(
        $"From: Author <author@{author}>\r\n" +
        "To: Reader <reader@example.net>,\r\n  Other Reader <other@example.net>\r\n" +
        $"Subject: Quarterly report\r\n\tfor the {author} team\r\n" +
        "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n" +
        $"Message-ID: <{signing}@{author}>\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/plain; charset=us-ascii\r\n" +
        "\r\n" +
        "Hello,  \r\n\r\nThe   figures are in.\t\r\n\r\n\r\n");
}
