using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using MailAuth.Dkim;
using MailAuth.MessageAuthentication;
using MailAuth.Records;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Authenticates received messages as a receiver does: SPF, DKIM, ARC, DMARC, and the Authentication-Results header.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "MailAuthentication")]
[OutputType(typeof(MessageAuthenticationResult))]
public sealed class TestMailAuthenticationCommand : DmarcCmdlet
{
    /// <summary>The ErrorId of a -ClientIP that is not an IP address.</summary>
    public const string InvalidClientIPErrorId = "InvalidClientIP";

    private IPAddress _clientIP;

    /// <summary>Message files (.eml, as received); wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; }

    /// <summary>The address of the SMTP client that delivered the message (what SPF checks).</summary>
    [Parameter(Mandatory = true)]
    [Alias("IPAddress")]
    [ValidateNotNullOrEmpty]
    public string ClientIP { get; set; }

    /// <summary>The MAIL FROM address; default: the message's Return-Path header. '' is the null reverse-path.</summary>
    [Parameter]
    [AllowEmptyString]
    public string MailFrom { get; set; }

    /// <summary>The HELO/EHLO name the client gave.</summary>
    [Parameter]
    public string Helo { get; set; }

    /// <summary>The authserv-id written in the Authentication-Results header; default: this computer's name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string AuthServId { get; set; }

    protected override void BeginProcessing()
    {
        if (!IPAddress.TryParse(ClientIP.Trim(), out _clientIP))
        {
            ThrowTerminatingError(new ErrorRecord(
                new MailAuthInputException(InvalidClientIPErrorId, $"'{ClientIP}' is not an IPv4 or IPv6 address; -ClientIP is the address of the SMTP client SPF checks (RFC 7208 §4.1).", ClientIP),
                InvalidClientIPErrorId, ErrorCategory.InvalidArgument, ClientIP));
        }
        base.BeginProcessing();
    }

    /// <summary>DKIM and ARC keys parsed and imported for one message, kept for the next ones of this pipeline.</summary>
    private readonly DkimKeyCache _keyCache = new DkimKeyCache();

    protected override void ProcessRecord()
    {
        var authenticator = new MessageAuthenticator(Resolver, PublicSuffixList, null, _keyCache);
        var options = new MessageAuthenticationOptions
        {
            ClientIP = _clientIP,
            MailFrom = MailFrom,
            Helo = string.IsNullOrWhiteSpace(Helo) ? null : Helo.Trim(),
            AuthServId = AuthServId ?? Environment.MachineName.ToLowerInvariant(),
            DiscoveryMode = SelectedDiscoveryMode,
        };
        foreach (var file in MessagePaths.Resolve(this, Path, literal: false))
        {
            MessageAuthenticationResult result;
            try
            {
                WriteVerbose($"Authenticating {file} as received from {_clientIP}.");
                using var stream = File.OpenRead(file);
                result = Await(authenticator.AuthenticateAsync(stream, options, file, CancellationToken));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(ex, MessagePaths.UnreadableErrorId, ErrorCategory.ReadError, file)
                {
                    ErrorDetails = new ErrorDetails($"Cannot read the message '{file}': {ex.Message}"),
                });
                continue;
            }
            WriteVerbose($"SPF {result.SpfResult} for {result.MailFrom} ({result.MailFromSource}); {result.Dkim.Count} DKIM result(s); ARC {result.ArcResult} ({result.Arc.InstanceCount} set(s)); DMARC {result.DmarcResult}: {result.DmarcReason}");
            if (result.ArcOverrideNote != null) WriteVerbose(result.ArcOverrideNote);
            WriteObject(result);
        }
    }
}
