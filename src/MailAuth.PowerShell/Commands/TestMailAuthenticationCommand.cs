using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using MailAuth.Common;
using MailAuth.Dkim;
using MailAuth.Dmarc;
using MailAuth.MessageAuthentication;
using MailAuth.PowerShell.Parameters;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Authenticates received messages as a receiver does: SPF, DKIM, ARC, DMARC, and the Authentication-Results header.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "MailAuthentication", DefaultParameterSetName = PathSet)]
[OutputType(typeof(MessageAuthenticationResult))]
public sealed class TestMailAuthenticationCommand : DnsCmdlet
{
    /// <summary>TreeWalk (RFC 9989, default) or Psl (RFC 7489).</summary>
    /// <remarks>
    /// A string, not the DmarcDiscoveryMode enum: an enum-typed backing field would make PowerShell's
    /// GetExportedTypes load MailAuth.Core before the module initializer can point it at Dependencies/.
    /// </remarks>
    [Parameter]
    [ValidateSet("TreeWalk", "Psl", IgnoreCase = true)]
    public string DiscoveryMode { get; set; } = "TreeWalk";

    /// <summary>A public_suffix_list.dat to use instead of the embedded snapshot (Psl mode).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string PublicSuffixListPath { get; set; }

    private DmarcDiscoveryMode SelectedDiscoveryMode => ParameterEnum.Parse<DmarcDiscoveryMode>(DiscoveryMode);

    /// <summary>The list in use, ready after BeginProcessing.</summary>
    private PublicSuffixList PublicSuffixList { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        PublicSuffixList = DmarcDiscoveryParameters.LoadPublicSuffixList(this, PublicSuffixListPath);
    }

    /// <summary>The ErrorId of a -ClientIP that is not an IP address.</summary>
    public const string InvalidClientIPErrorId = "InvalidClientIP";

    private const string PathSet = MessagePaths.PathSet;
    private const string LiteralPathSet = MessagePaths.LiteralPathSet;

    /// <summary>
    /// Message files (.eml, as received); wildcards allowed. A value that contains a line break is the message
    /// itself, so <c>Get-Content -Raw m.eml | Test-MailAuthentication</c> works.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; }

    /// <summary>Message files, taken literally (no wildcards): binds to the PSPath of Get-ChildItem's files.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; }

    /// <summary>The address of the SMTP client that delivered the message (what SPF checks).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress")]
    [ValidateNotNullOrEmpty]
    public string ClientIP { get; set; }

    /// <summary>The MAIL FROM address; default: the message's Return-Path header. '' is the null reverse-path.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string MailFrom { get; set; }

    /// <summary>The HELO/EHLO name the client gave.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Helo { get; set; }

    /// <summary>The authserv-id written in the Authentication-Results header; default: this computer's name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string AuthServId { get; set; }

    /// <summary>DKIM and ARC keys parsed and imported for one message, kept for the next ones of this pipeline.</summary>
    private readonly DkimKeyCache _keyCache = new DkimKeyCache();

    protected override void ProcessRecord()
    {
        if (!IPAddressText.TryParse(ClientIP, out var clientIP))
        {
            WriteInputError(new MailAuthInputException(InvalidClientIPErrorId,
                $"-ClientIP '{ClientIP}' is not an IPv4 or IPv6 address; it is the address of the SMTP client SPF checks (RFC 7208 §4.1), e.g. 192.0.2.10 or 2001:db8::10.", ClientIP));
            return;
        }
        var authenticator = new MessageAuthenticator(Resolver, PublicSuffixList, null, _keyCache);
        var options = new MessageAuthenticationOptions
        {
            ClientIP = clientIP,
            MailFrom = MailFrom,
            Helo = string.IsNullOrWhiteSpace(Helo) ? null : Helo.Trim(),
            AuthServId = AuthServId ?? Environment.MachineName.ToLowerInvariant(),
            DiscoveryMode = SelectedDiscoveryMode,
        };

        if (ParameterSetName == PathSet)
        {
            // A line break never occurs in a path and always in a message: such a value is the message text.
            foreach (var text in Path.Where(p => p.IndexOf('\n') >= 0))
                Authenticate(authenticator, options, Encoding.UTF8.GetBytes(text), null);
        }
        var inputs = ParameterSetName == LiteralPathSet ? LiteralPath : Path.Where(p => p.IndexOf('\n') < 0).ToArray();
        foreach (var file in MessagePaths.Resolve(this, inputs, literal: ParameterSetName == LiteralPathSet))
        {
            if (MessagePaths.TryRead(this, file, $"Reading {file}.", MessagePaths.ReadAllAsync, out var message))
                Authenticate(authenticator, options, message, file);
        }
    }

    private void Authenticate(MessageAuthenticator authenticator, MessageAuthenticationOptions options, byte[] message, string file)
    {
        var name = file ?? "the message from the pipeline";
        if (!StartsWithHeaderField(message))
            WriteWarning($"{name} does not start with a header field, so it is not an RFC 5322 message (RFC 5322 §2.2); the results below say little. Pipe message text with Get-Content -Raw, or give the .eml file.");
        WriteVerbose($"Authenticating {name} as received from {options.ClientIP}.");
        var result = Await(authenticator.AuthenticateAsync(message, options, file, CancellationToken));
        if (MailFrom == null && result.MailFromSource == MailFromSource.Helo)
            WriteWarning($"{name} has no Return-Path and no -MailFrom was given, so SPF checked the HELO identity ({result.Spf.Domain}) instead of the MAIL FROM domain (RFC 7208 §2.3). Give -MailFrom with the envelope sender of the SMTP session.");
        WriteVerbose($"SPF {result.SpfResult} for {result.MailFrom} ({result.MailFromSource}); {result.Dkim.Count} DKIM result(s); ARC {result.ArcResult} ({result.Arc.InstanceCount} set(s)); DMARC {result.DmarcResult}: {result.DmarcReason}");
        if (result.ArcOverrideNote != null) WriteVerbose(result.ArcOverrideNote);
        WriteObject(result);
    }

    /// <summary>True when the first line is a header field: a field name of printable ASCII without ':' followed by ':' (RFC 5322 §2.2, §3.6.8).</summary>
    private static bool StartsWithHeaderField(byte[] message)
    {
        int i = 0;
        while (i < message.Length && message[i] >= 33 && message[i] <= 126 && message[i] != (byte)':') i++;
        return i > 0 && i < message.Length && message[i] == (byte)':';
    }
}
