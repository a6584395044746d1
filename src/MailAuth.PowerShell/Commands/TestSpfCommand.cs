using System.Management.Automation;
using System.Net;
using MailAuth.Common;
using MailAuth.Dns;
using MailAuth.Spf;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Tests whether an IP address may send mail for a sender: SPF check_host() of RFC 7208, with the trace of every step.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "Spf")]
[OutputType(typeof(SpfCheckResult))]
public sealed class TestSpfCommand : DnsCmdlet
{
    /// <summary>Error id for an -IPAddress that is not an IPv4 or IPv6 address.</summary>
    public const string InvalidIPAddressErrorId = "InvalidIPAddress";

    /// <summary>Error id when neither a MAIL FROM nor a HELO name is given.</summary>
    public const string MissingIdentityErrorId = "MissingSpfIdentity";

    /// <summary>The client addresses to test.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("IP", "ClientIP", "ClientAddress")]
    [AllowEmptyString]
    public string[] IPAddress { get; set; }

    /// <summary>The MAIL FROM (envelope sender) address or domain; empty to test the HELO identity.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Sender", "EnvelopeFrom", "ReturnPath")]
    [AllowEmptyString]
    [AllowNull]
    public string MailFrom { get; set; }

    /// <summary>The HELO/EHLO name the client gave.</summary>
    [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
    [Alias("HeloName", "Ehlo")]
    [AllowEmptyString]
    public string Helo { get; set; }

    protected override void ProcessRecord()
    {
        var mailFrom = MailFrom?.Trim() ?? string.Empty;
        var helo = string.IsNullOrWhiteSpace(Helo) ? null : Helo.Trim();
        if (mailFrom.Length == 0 && helo == null)
        {
            WriteInputError(new MailAuthInputException(MissingIdentityErrorId,
                "Give -MailFrom (the envelope sender), or -Helo to test the HELO identity; both are empty.", MailFrom));
            return;
        }
        if (!TryToAscii(ref mailFrom) || (helo != null && !TryToAscii(ref helo))) return;

        var evaluator = new SpfEvaluator(Resolver);
        foreach (var input in IPAddress)
        {
            if (!TryParseAddress(input, out var ip)) continue;
            WriteVerbose($"check_host({ip}, {(mailFrom.Length == 0 ? "postmaster@" + helo : mailFrom)}).");
            var result = Await(evaluator.CheckHostAsync(ip, mailFrom, helo, CancellationToken));
            foreach (var step in result.Trace) WriteVerbose(step);
            WriteObject(result);
        }
    }

    private bool TryParseAddress(string input, out IPAddress ip)
    {
        if (IPAddressText.TryParse(input, out ip)) return true;
        WriteInputError(new MailAuthInputException(InvalidIPAddressErrorId,
            $"-IPAddress '{input}' is not an IPv4 or IPv6 address. Give the address of the client that connected, e.g. 192.0.2.10 or 2001:db8::10.", input));
        return false;
    }

    /// <summary>Converts an internationalized domain (in an address or alone) to A-labels; reports a bad one.</summary>
    private bool TryToAscii(ref string addressOrDomain)
    {
        bool ascii = true;
        foreach (var c in addressOrDomain) if (c > 0x7e) { ascii = false; break; }
        if (ascii) return true;
        var at = addressOrDomain.LastIndexOf('@');
        var domain = addressOrDomain.Substring(at + 1);
        if (!DomainName.TryNormalize(domain, out var normalized, out var error))
        {
            WriteInputError(new MailAuthInputException(DomainName.InvalidDomainNameErrorId, error, addressOrDomain));
            return false;
        }
        addressOrDomain = addressOrDomain.Substring(0, at + 1) + normalized;
        return true;
    }
}
