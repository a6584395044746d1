using System.Linq;
using System.Text;
using MailAuth.Tests.Dkim;

namespace MailAuth.Tests.MessageAuthentication;

/// <summary>
/// The forwarded-mail scenario of tests/data/zones/arc.test.zone, really signed and sealed: news.arc.test signs its
/// letter (dkimpy, the rsa2048 test key), the mailing list lists.arc.test adds a footer and seals it, and the
/// forwarding service forwarder.arc.test may seal it again (dkimpy's arc_sign, the arc test key).
/// </summary>
public static class ArcForwarding
{
    /// <summary>The author's outbound server, the only address news.arc.test's SPF record authorizes.</summary>
    public const string AuthorIP = "192.0.2.25";

    /// <summary>The address the last intermediary delivers from: not in news.arc.test's SPF record.</summary>
    public const string RelayIP = "198.51.100.7";

    public const string MailFrom = "bounce@news.arc.test";
    public const string List = "lists.arc.test";
    public const string Forwarder = "forwarder.arc.test";

    /// <summary>The letter as news.arc.test sends it, DKIM-signed d=news.arc.test s=s1.</summary>
    public static byte[] Original() =>
        DkimTestSigning.SignWithDkimpy(DkimTestSigning.Message("news.eml"), "rsa2048.key", "news.arc.test", "s1");

    /// <summary>The letter after the mailing list: its footer breaks the author's DKIM signature, then the list seals (i=1, cv=none).</summary>
    public static byte[] SealedByList(string server) =>
        Seal(Append(Original(), "-- \r\nmembers@lists.arc.test: unsubscribe at lists.arc.test\r\n"), List, server,
            "dkim=pass header.d=news.arc.test; spf=pass smtp.mailfrom=news.arc.test; dmarc=pass header.from=news.arc.test");

    /// <summary>
    /// The list's message sealed again by the forwarding service (i=2) with cv=<paramref name="chainValidation"/>;
    /// <paramref name="addDisclaimer"/> changes the body before sealing, so the list's ARC-Message-Signature no longer verifies.
    /// </summary>
    public static byte[] SealedByListAndForwarder(string server, string chainValidation = "pass", bool addDisclaimer = false)
    {
        var fromList = SealedByList(server);
        if (addDisclaimer) fromList = Append(fromList, "Scanned by forwarder.arc.test\r\n");
        return Seal(fromList, Forwarder, server, $"arc={chainValidation}; dkim=fail header.d=news.arc.test; spf=fail smtp.mailfrom=news.arc.test");
    }

    /// <summary>Text added at the end of the body (a footer, or a change after the last seal).</summary>
    public static byte[] Append(byte[] message, string text) => message.Concat(Encoding.ASCII.GetBytes(text)).ToArray();

    /// <summary>Prepends the sealer's own Authentication-Results (what it saw), then seals as that domain.</summary>
    private static byte[] Seal(byte[] message, string sealer, string server, string results) =>
        DkimTestSigning.ArcSealWithDkimpy(Encoding.ASCII.GetBytes($"Authentication-Results: {sealer}; {results}\r\n").Concat(message).ToArray(),
            sealer, server, sealer);
}
